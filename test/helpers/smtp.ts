// A real SMTP server for tests (smtp-server): it accepts every mail and keeps it, decoded enough to
// read the subject and the plain text (nodemailer's quoted-printable / base64 and encoded words).
import { SMTPServer } from 'smtp-server';
import { freePort } from './server';

export type ReceivedMail = { from: string; to: string[]; subject: string; text: string; html: string | null; raw: string };
export type TestSmtp = {
  url: string;
  mails: ReceivedMail[];
  /** With xoauth2: the tokens the server accepted, and how many sign-ins it refused. */
  acceptedTokens: string[];
  refusedSignIns(): number;
  /** With xoauth2: refuse the next token even if it is valid, as a server does with a token that just expired. */
  refuseNextToken(): void; waitFor(match: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>; close(): Promise<void> };

function decodeQp(s: string): Buffer {
  const bytes: number[] = [];
  const text = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i], 'latin1'));
  }
  return Buffer.from(bytes);
}

function decodeWords(v: string): string {
  return v.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([\w-]+)\?([QB])\?([^?]*)\?=/gi, (_w, _cs, enc: string, data: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQp(data.replace(/_/g, ' ')).toString('utf8'),
  );
}

export type ParsedMail = { subject: string; text: string; html: string | null; headers: Record<string, string> };

export function parseMail(raw: string): ParsedMail {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const subject = decodeWords(headers.subject ?? '');
  // A text part beside an HTML part (and attachments): the text is the plain part, the html the HTML one.
  const boundary = /multipart\/[\w-]+;.*boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (boundary) {
    const parts = body.split(`--${boundary}`).slice(1).filter((p) => !p.startsWith('--')).map((p) => parseMail(p.replace(/^\r?\n/, '')));
    const find = (type: string): string | null => {
      for (const part of parts) {
        if ((part.headers['content-type'] ?? '').startsWith(type)) return part.text;
        if (/^multipart\//.test(part.headers['content-type'] ?? '')) {
          const inner = type === 'text/html' ? part.html : part.text;
          if (inner) return inner;
        }
      }
      return null;
    };
    return { subject, text: find('text/plain') ?? '', html: find('text/html'), headers };
  }
  const enc = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  const text = enc === 'quoted-printable' ? decodeQp(body).toString('utf8') : enc === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  return { subject, text: text.replace(/\r\n/g, '\n'), html: null, headers };
}

/**
 * Without options the server takes every mail. With `xoauth2` it takes mail only after AUTH XOAUTH2 with a
 * token that `xoauth2` accepts for that user (like Exchange Online; no other AUTH method is offered).
 */
export async function startSmtp(
  options: {
    xoauth2?: (user: string, accessToken: string) => Promise<boolean>;
    /** Recipients the server refuses for good (550), as a server does for an address it does not have. */
    refuseRecipient?: (address: string) => boolean;
  } = {},
): Promise<TestSmtp> {
  const mails: ReceivedMail[] = [];
  const waiters: Array<() => void> = [];
  const acceptedTokens: string[] = [];
  let refused = 0;
  let refuseNext = false;
  const verify = options.xoauth2;
  const server = new SMTPServer({
    authOptional: !verify,
    ...(verify
      ? {
          authMethods: ['XOAUTH2'],
          allowInsecureAuth: true,
          onAuth(auth, _session, callback) {
            const refuse = () => {
              refused++;
              callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://outlook.office365.com/.default' } });
            };
            if (auth.method !== 'XOAUTH2' || !auth.username || !auth.accessToken) return refuse();
            if (refuseNext) {
              refuseNext = false;
              return refuse();
            }
            verify(auth.username, auth.accessToken).then(
              (ok) => {
                if (!ok) return refuse();
                acceptedTokens.push(auth.accessToken ?? '');
                callback(null, { user: auth.username });
              },
              (err: Error) => callback(err),
            );
          },
        }
      : {}),
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.refuseRecipient?.(address.address)) {
        const err = new Error('5.1.1 No such mailbox') as Error & { responseCode: number };
        err.responseCode = 550;
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const parsed = parseMail(raw);
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: parsed.subject,
          text: parsed.text,
          html: parsed.html,
          raw,
        });
        waiters.splice(0).forEach((w) => w());
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    acceptedTokens,
    refusedSignIns: () => refused,
    refuseNextToken: () => {
      refuseNext = true;
    },
    async waitFor(match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = mails.find(match);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no matching mail arrived; got: ${mails.map((m) => `${m.to.join(',')}: ${m.subject}`).join(' | ')}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
