// Sending e-mail (SPEC R7): nodemailer over SMTP_URL; without it (development) every mail is written as
// an .eml file to DATA_DIR/outbox so it can be opened in any mail program. Sending never throws: a mail
// that cannot be delivered is logged and waits in DATA_DIR/outbox/unsent, from where retryUnsent() (the
// housekeeping, every few minutes) sends it once the server takes it, for up to 7 days; the in-app
// notification tells the person meanwhile.
//
// Microsoft 365 (Exchange Online) ends basic authentication for SMTP: with SMTP_OAUTH_* the transport
// signs in with XOAUTH2 and an app-only token from Entra ID (client credentials), through nodemailer's
// own OAuth2 support: nodemailer caches the token until it expires and asks for a new one (renew) when
// the server refuses it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type nodemailerType from 'nodemailer';
import type { Logger } from 'pino';
import type { Config, SmtpOAuth } from '../config';
import { systemClock, type Clock } from '../clock';

export type MailAttachment = { filename: string; content: string; contentType: string };
export type Mail = { to: string; subject: string; text: string; html?: string; attachments?: MailAttachment[] };

export type Mailer = {
  /** The address users reach (PUBLIC_URL), for absolute links in mails. */
  publicUrl: string;
  /** Sends one mail; resolves true when the SMTP server (or the outbox) accepted it, false when it waits in outbox/unsent. */
  send(mail: Mail): Promise<boolean>;
  /** Sends the mails that wait in outbox/unsent; resolves to how many went. */
  retryUnsent(): Promise<number>;
  close(): void;
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

type SmtpAuth =
  | { user: string; pass: string }
  | { type: 'OAuth2'; user: string; provisionCallback: (user: string, renew: boolean, done: (err: Error | null, accessToken?: string, expires?: number) => void) => void };

/** Transport options from SMTP_URL: smtps:// is TLS from the start; smtp:// upgrades with STARTTLS when offered. */
export function smtpOptions(smtpUrl: string) {
  const u = new URL(smtpUrl);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    // A mail server on the same machine needs no TLS (and a test server has no trusted certificate).
    ignoreTLS: !secure && LOOPBACK.has(u.hostname),
    auth: u.username ? ({ user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } as SmtpAuth) : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
}

export function outboxDir(dataDir: string): string {
  return path.join(dataDir, 'outbox');
}

export function unsentDir(dataDir: string): string {
  return path.join(outboxDir(dataDir), 'unsent');
}

/** Why the token endpoint refused, as a line an administrator can act on (it names the variable to check). */
export class TokenError extends Error {
  override name = 'TokenError';
}

type TokenAnswer = { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown };

/**
 * An app-only token for SMTP from Entra ID's token endpoint (OAuth2 client credentials). The token is
 * taken to expire five minutes early, so a mail never starts with a token about to run out.
 */
export async function fetchSmtpToken(oauth: SmtpOAuth): Promise<{ accessToken: string; expires: number }> {
  let response: globalThis.Response;
  try {
    response = await fetch(oauth.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: oauth.clientId, client_secret: oauth.clientSecret, scope: oauth.scope }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new TokenError(`the token endpoint ${oauth.tokenUrl} did not answer (${(err as Error).message}${cause}); check SMTP_OAUTH_TOKEN_URL / SMTP_OAUTH_TENANT_ID and the network`);
  }
  const body = (await response.json().catch(() => ({}))) as TokenAnswer;
  if (!response.ok || typeof body.access_token !== 'string') {
    const error = typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
    if (error === 'invalid_client' || error === 'unauthorized_client' || response.status === 401) {
      throw new TokenError(
        `Entra ID refused the mail app's credentials (${error}): check that SMTP_OAUTH_CLIENT_SECRET is the current secret of the app registration (secrets expire) and that SMTP_OAUTH_CLIENT_ID and SMTP_OAUTH_TENANT_ID name it`,
      );
    }
    throw new TokenError(`Entra ID gave no token for SMTP (${error}); check the app registration's SMTP.SendAsApp permission and admin consent (SMTP_OAUTH_CLIENT_ID)`);
  }
  const lifetime = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in) || 3600;
  // nodemailer compares the expiry with the wall clock, so the wall clock it is, whatever
  // clock the app was given.
  return { accessToken: body.access_token, expires: systemClock().getTime() + Math.max(lifetime - 300, 30) * 1000 };
}

// Loaded with the first mail: most requests send none.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodemailer = (): typeof nodemailerType => require('nodemailer') as typeof nodemailerType;

/** The SMTP transport's options: SMTP_URL, and with SMTP_OAUTH_* an XOAUTH2 sign-in with a fresh token. */
export function transportOptions(config: Pick<Config, 'smtpUrl' | 'smtpOAuth'>) {
  const options = smtpOptions(config.smtpUrl ?? '');
  const oauth = config.smtpOAuth;
  if (oauth) {
    options.auth = {
      type: 'OAuth2',
      user: oauth.user,
      // nodemailer keeps the token until `expires` and calls this again with renew=true when refused.
      provisionCallback: (_user, _renew, done) => {
        fetchSmtpToken(oauth).then(
          (token) => done(null, token.accessToken, token.expires),
          (err: Error) => done(err),
        );
      },
    };
  }
  return options;
}

/** A mail that waits longer than this in outbox/unsent is dropped (it holds personal data, and is stale by then). */
export const UNSENT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** A send takes seconds (SMTP timeouts are two minutes); a claim this old belongs to a stopped process. */
export const SENDING_CLAIM_MAX_AGE_MS = 15 * 60 * 1000;

/**
 * The server refused this mail itself (a recipient or the message, with a permanent 5xx): sending it again
 * gets the same answer, so it does not wait. Everything else — no connection, a refused sign-in, a
 * temporary 4xx — is about the server or our settings, and the mail waits until they are put right.
 */
function refusedForGood(err: unknown): boolean {
  const e = err as { code?: unknown; responseCode?: unknown };
  const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503;
  return permanent && (e.code === 'EENVELOPE' || e.code === 'EMESSAGE');
}

export function createMailer(config: Pick<Config, 'smtpUrl' | 'smtpOAuth' | 'mailFrom' | 'dataDir' | 'publicUrl'>, logger?: Logger, now: Clock = systemClock): Mailer {
  const from = config.mailFrom;
  if (config.smtpUrl) {
    const options = transportOptions(config);
    let transport: ReturnType<typeof nodemailerType.createTransport> | undefined;
    const waiting = unsentDir(config.dataDir);
    const deliver = async (mail: Mail) => {
      transport ??= nodemailer().createTransport(options);
      await transport.sendMail({ from, ...mail });
    };
    let retrying: Promise<number> | undefined;
    // A mail claimed for sending by a process that stopped before it finished (a crash, a power cut)
    // goes back to the outbox once its claim is SENDING_CLAIM_MAX_AGE_MS old: sent twice at worst,
    // never lost. The claim's time is in its name (by the app's clock).
    const reclaimAbandoned = async () => {
      const names = await fs.promises.readdir(waiting).catch(() => [] as string[]);
      for (const name of names) {
        const claim = /^(.+\.json)\.\d+\.(\d+)\.sending$/.exec(name);
        if (!claim || now().getTime() - Number(claim[2]) < SENDING_CLAIM_MAX_AGE_MS) continue;
        await fs.promises.rename(path.join(waiting, name), path.join(waiting, claim[1])).catch(() => undefined);
        logger?.warn({ file: claim[1] }, 'a mail left half-sent by a stopped process is back in the outbox');
      }
    };
    return {
      publicUrl: config.publicUrl,
      async send(mail) {
        try {
          await deliver(mail);
          return true;
        } catch (err) {
          const to = mail.to.replace(/^[^@]*/, '…');
          if (refusedForGood(err)) {
            logger?.error({ err: (err as Error).message, to }, 'mail refused by the SMTP server; it is not sent again');
            return false;
          }
          logger?.error({ err: (err as Error).message, to }, 'mail could not be sent; it waits in the outbox and is sent again later');
          try {
            await fs.promises.mkdir(waiting, { recursive: true });
            await fs.promises.writeFile(path.join(waiting, `${fileStamp(now())}.json`), JSON.stringify(mail), { mode: 0o600 });
          } catch (writeErr) {
            logger?.error({ err: (writeErr as Error).message }, 'mail could not be kept in the outbox either');
          }
          return false;
        }
      },
      retryUnsent() {
        // One retry at a time; a file is claimed by renaming it, so two instances never send it twice.
        retrying ??= (async () => {
          let sent = 0;
          await reclaimAbandoned();
          const names = await fs.promises.readdir(waiting).catch(() => [] as string[]);
          for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
            const file = path.join(waiting, name);
            const claimed = `${file}.${process.pid}.${now().getTime()}.sending`;
            try {
              await fs.promises.rename(file, claimed);
            } catch {
              continue; // another instance took it
            }
            // The file's age by the app's clock (the file system stamps it with the wall clock).
            if (now().getTime() - (await fs.promises.stat(claimed)).mtimeMs > UNSENT_MAX_AGE_MS) {
              await fs.promises.rm(claimed);
              logger?.error({ file: name }, 'mail dropped from the outbox: it could not be sent for 7 days');
              continue;
            }
            let mail: Mail;
            try {
              mail = JSON.parse(await fs.promises.readFile(claimed, 'utf8')) as Mail;
            } catch {
              await fs.promises.rename(claimed, `${file}.unreadable`);
              logger?.error({ file: name }, 'a mail in the outbox cannot be read; it was set aside as .unreadable');
              continue;
            }
            try {
              await deliver({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, attachments: mail.attachments });
              await fs.promises.rm(claimed);
              sent++;
            } catch (err) {
              if (refusedForGood(err)) {
                await fs.promises.rm(claimed);
                logger?.error({ err: (err as Error).message, file: name }, 'mail in the outbox refused by the SMTP server; it is not sent again');
                continue;
              }
              await fs.promises.rename(claimed, file);
              logger?.error({ err: (err as Error).message }, 'mail in the outbox still cannot be sent');
              break; // the server or our settings are the problem now; the rest waits for the next round
            }
          }
          if (sent > 0) logger?.info({ sent }, 'mail from the outbox sent');
          return sent;
        })().finally(() => (retrying = undefined));
        return retrying;
      },
      close: () => transport?.close(),
    };
  }
  let transport: ReturnType<typeof nodemailerType.createTransport> | undefined;
  const dir = outboxDir(config.dataDir);
  return {
    publicUrl: config.publicUrl,
    async send(mail) {
      try {
        transport ??= nodemailer().createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
        const info = (await transport.sendMail({ from, ...mail })) as { message: Buffer };
        await fs.promises.mkdir(dir, { recursive: true });
        await fs.promises.writeFile(path.join(dir, `${fileStamp(now())}.eml`), info.message);
        return true;
      } catch (err) {
        logger?.error({ err: (err as Error).message }, 'mail could not be written to the outbox');
        return false;
      }
    },
    retryUnsent: async () => 0,
    close: () => undefined,
  };
}

/** A file name that sorts by time and never collides. */
function fileStamp(at: Date): string {
  return `${at.toISOString().replace(/[:.]/g, '-')}-${crypto.randomBytes(4).toString('hex')}`;
}
