// npm run mail:check -- someone@example.org: sends one test mail with the app's mail settings (SMTP_URL,
// SMTP_OAUTH_*, MAIL_FROM), then the mails waiting in DATA_DIR/outbox/unsent. For IT to check a Microsoft
// 365 set-up without waiting for the app to have something to say. Exit code 0 when the test mail went.
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { systemClock } from '../clock';
import { createMailer } from '../mail';

async function main(): Promise<number> {
  const to = process.argv[2];
  if (!to || !/^[^@\s]+@[^@\s]+$/.test(to)) {
    console.error('Usage: npm run mail:check -- someone@example.org');
    return 2;
  }
  const config = loadConfig();
  const mailer = createMailer(config, createLogger(config.logLevel), systemClock);
  try {
    const sent = await mailer.send({
      to,
      subject: 'Årets misstag: provmejl / test mail',
      text: `Det här är ett provmejl från Årets misstag (${config.publicUrl}).\nThis is a test mail from Årets misstag.\n`,
    });
    if (!sent) {
      console.error(config.smtpUrl ? 'The test mail could not be sent (see the log line above); it waits in the outbox.' : 'The test mail could not be written to the outbox.');
      return 1;
    }
    console.log(config.smtpUrl ? `Test mail sent to ${to}.` : `No SMTP_URL: the test mail was written to ${config.dataDir}/outbox.`);
    const waiting = await mailer.retryUnsent();
    if (waiting > 0) console.log(`${waiting} mail(s) from the outbox sent as well.`);
    return 0;
  } finally {
    mailer.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
