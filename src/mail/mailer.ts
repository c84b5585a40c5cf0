// Sending e-mail (SPEC R7): nodemailer over SMTP_URL; without it (development) every mail is written as
// an .eml file to DATA_DIR/outbox so it can be opened in any mail program. Sending never throws: a mail
// that cannot be delivered is logged, and the in-app notification still tells the person.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type nodemailerType from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { systemClock, type Clock } from '../clock';

export type Mail = { to: string; subject: string; text: string; html?: string };

export type Mailer = {
  /** The address users reach (PUBLIC_URL), for absolute links in mails. */
  publicUrl: string;
  /** Sends one mail; resolves true when the SMTP server (or the outbox) accepted it. */
  send(mail: Mail): Promise<boolean>;
  close(): void;
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

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
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
}

export function outboxDir(dataDir: string): string {
  return path.join(dataDir, 'outbox');
}

// Loaded with the first mail: most requests send none.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodemailer = (): typeof nodemailerType => require('nodemailer') as typeof nodemailerType;

export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'dataDir' | 'publicUrl'>, logger?: Logger, now: Clock = systemClock): Mailer {
  const from = config.mailFrom;
  if (config.smtpUrl) {
    const options = smtpOptions(config.smtpUrl);
    let transport: ReturnType<typeof nodemailerType.createTransport> | undefined;
    return {
      publicUrl: config.publicUrl,
      async send(mail) {
        try {
          transport ??= nodemailer().createTransport(options);
          await transport.sendMail({ from, ...mail });
          return true;
        } catch (err) {
          logger?.error({ err: (err as Error).message }, 'mail could not be sent');
          return false;
        }
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
        const name = `${now().toISOString().replace(/[:.]/g, '-')}-${crypto.randomBytes(4).toString('hex')}.eml`;
        await fs.promises.writeFile(path.join(dir, name), info.message);
        return true;
      } catch (err) {
        logger?.error({ err: (err as Error).message }, 'mail could not be written to the outbox');
        return false;
      }
    },
    close: () => undefined,
  };
}
