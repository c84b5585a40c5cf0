// Mail through Microsoft 365 after basic authentication ends (issue 19): SMTP with XOAUTH2 and an app-only
// token from Entra ID's token endpoint (client credentials). Real parts only: the OpenID Connect provider
// of the sign-in tests (oidc-provider over HTTPS) issues the tokens, and a local SMTP server takes mail
// only after AUTH XOAUTH2 with a token the provider's introspection endpoint calls active, for the mail
// app, with Exchange's scope. The compiled `npm run mail:check` runs in its own process, as IT would run it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { projectRoot } from '../../src/paths';
import { startOidcProvider, type OidcProvider } from '../helpers/oidc-provider';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

const MAILBOX = 'misstag@kommun.example';

let provider: OidcProvider;
let smtp: TestSmtp;
let dataDir: string;

/** Asks the provider whether a token is active, as the mail server's resource owner. */
function introspect(token: string): Promise<Record<string, unknown>> {
  const body = new URLSearchParams({ token, client_id: provider.clientId, client_secret: provider.clientSecret }).toString();
  return new Promise((resolve, reject) => {
    const req = https.request(provider.introspectionUrl, { method: 'POST', ca: provider.ca, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve(JSON.parse(text) as Record<string, unknown>));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  provider = await startOidcProvider({ redirectUri: 'http://127.0.0.1:9/auth/callback', postLogoutRedirectUri: 'http://127.0.0.1:9/auth/login', users: [] });
  smtp = await startSmtp({
    async xoauth2(user, token) {
      const answer = await introspect(token);
      return answer.active === true && answer.client_id === provider.mailClientId && String(answer.scope).split(' ').includes('https://outlook.office365.com/.default') && user === MAILBOX;
    },
  });
});

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-mail-'));
});
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

afterAll(async () => {
  await smtp?.close();
  await provider?.stop();
});

function mailEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_EXTRA_CA_CERTS: provider.certFile,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    SMTP_URL: smtp.url,
    MAIL_FROM: `Årets misstag <${MAILBOX}>`,
    SMTP_OAUTH_TENANT_ID: provider.tenantId,
    SMTP_OAUTH_CLIENT_ID: provider.mailClientId,
    SMTP_OAUTH_CLIENT_SECRET: provider.mailClientSecret,
    SMTP_OAUTH_TOKEN_URL: provider.tokenUrl,
    ...extra,
  };
}

async function mailCheck(to: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'cli', 'mail-check.js'), to], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

const unsent = () => {
  const dir = path.join(dataDir, 'outbox', 'unsent');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

test('when the mail app has its client credentials, then a token is fetched and the mail goes through XOAUTH2 from the MAIL_FROM mailbox', async () => {
  const issuedBefore = provider.tokensIssued();
  const acceptedBefore = smtp.acceptedTokens.length;

  const run = await mailCheck('anna@kommun.example', mailEnv());

  expect(run.output).toContain('Test mail sent to anna@kommun.example');
  expect(run.code).toBe(0);
  const mail = await smtp.waitFor((m) => m.to.includes('anna@kommun.example'));
  expect(mail.from).toBe(MAILBOX);
  expect(mail.subject).toBe('Årets misstag: provmejl / test mail');
  expect(provider.tokensIssued() - issuedBefore).toBe(1);
  expect(smtp.acceptedTokens.length - acceptedBefore).toBe(1);
  expect(unsent()).toEqual([]);
});

test('when the client secret is wrong, then the log names SMTP_OAUTH_CLIENT_SECRET, the mail waits in the outbox, and it is sent with the next good run on one cached token', async () => {
  const wrong = await mailCheck('bo@kommun.example', mailEnv({ SMTP_OAUTH_CLIENT_SECRET: 'en-hemlighet-som-gått-ut' }));

  expect(wrong.code).toBe(1);
  expect(wrong.output).toContain('SMTP_OAUTH_CLIENT_SECRET');
  expect(wrong.output).toContain('waits in the outbox');
  expect(wrong.output).not.toContain('en-hemlighet-som-gått-ut');
  expect(smtp.mails.some((m) => m.to.includes('bo@kommun.example'))).toBe(false);
  const waiting = unsent();
  expect(waiting).toHaveLength(1);
  expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'outbox', 'unsent', waiting[0]), 'utf8'))).toMatchObject({ to: 'bo@kommun.example', subject: 'Årets misstag: provmejl / test mail' });

  const issuedBefore = provider.tokensIssued();
  const good = await mailCheck('cecilia@kommun.example', mailEnv());

  expect(good.code).toBe(0);
  expect(good.output).toContain('1 mail(s) from the outbox sent as well');
  await smtp.waitFor((m) => m.to.includes('cecilia@kommun.example'));
  await smtp.waitFor((m) => m.to.includes('bo@kommun.example'));
  expect(unsent()).toEqual([]);
  // Two mails, one token: nodemailer kept it for the second.
  expect(provider.tokensIssued() - issuedBefore).toBe(1);
});

test('when the SMTP server refuses the token (it expired), then a new one is fetched and the mail still goes', async () => {
  const issuedBefore = provider.tokensIssued();
  const refusedBefore = smtp.refusedSignIns();
  smtp.refuseNextToken();

  const run = await mailCheck('david@kommun.example', mailEnv());

  expect(run.code).toBe(0);
  await smtp.waitFor((m) => m.to.includes('david@kommun.example'));
  expect(smtp.refusedSignIns() - refusedBefore).toBe(1);
  expect(provider.tokensIssued() - issuedBefore).toBe(2);
  expect(unsent()).toEqual([]);
});

test('when the token endpoint cannot be reached, then the log says which setting to check and the mail waits in the outbox', async () => {
  const run = await mailCheck('eva@kommun.example', mailEnv({ SMTP_OAUTH_TOKEN_URL: 'https://127.0.0.1:9/tenant/oauth2/v2.0/token' }));

  expect(run.code).toBe(1);
  expect(run.output).toContain('SMTP_OAUTH_TOKEN_URL');
  expect(unsent()).toHaveLength(1);
  expect(smtp.mails.some((m) => m.to.includes('eva@kommun.example'))).toBe(false);
});

test('when someone signs in to the SMTP server with a made-up token or a password, then no mail is taken', async () => {
  const forged = nodemailer.createTransport({ host: '127.0.0.1', port: Number(new URL(smtp.url).port), ignoreTLS: true, auth: { type: 'OAuth2', user: MAILBOX, accessToken: 'påhittad-token' } });
  await expect(forged.sendMail({ from: MAILBOX, to: 'x@kommun.example', subject: 'forged', text: 'x' })).rejects.toThrow(/Invalid login: 535/);
  const basic = nodemailer.createTransport({ host: '127.0.0.1', port: Number(new URL(smtp.url).port), ignoreTLS: true, auth: { user: MAILBOX, pass: 'lösenord' } });
  await expect(basic.sendMail({ from: MAILBOX, to: 'x@kommun.example', subject: 'basic', text: 'x' })).rejects.toThrow(/Unrecognized authentication type/);
  expect(smtp.mails.some((m) => m.subject === 'forged' || m.subject === 'basic')).toBe(false);
});
