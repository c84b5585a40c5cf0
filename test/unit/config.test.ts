import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { start } from '../../src/server';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected the configuration to be refused');
};

describe('configuration', () => {
  test('when nothing is set, then the demo defaults apply', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, authMode: 'dev', defaultLocale: 'sv', isProduction: false, databaseUrl: undefined, host: '127.0.0.1' });
    expect(c.dataDir).toMatch(/data$/);
  });

  test('when PORT is not a number, then start-up is refused naming PORT', () => {
    expect(problemsOf({ PORT: 'tretusen' })).toMatch(/PORT/);
  });

  test('when DATABASE_URL is not a PostgreSQL URL, then start-up is refused naming DATABASE_URL', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://localhost/db' })).toMatch(/DATABASE_URL/);
  });

  test('when production asks for demo sign-in, then start-up is refused naming AUTH_MODE', () => {
    const message = problemsOf({ NODE_ENV: 'production', AUTH_MODE: 'dev', SESSION_SECRET: 'x'.repeat(40) });
    expect(message).toMatch(/AUTH_MODE/);
  });

  test('when production has no session secret, then start-up is refused naming SESSION_SECRET', () => {
    const message = problemsOf({
      NODE_ENV: 'production',
      AZURE_AD_TENANT_ID: 't',
      AZURE_AD_CLIENT_ID: 'c',
      AZURE_AD_CLIENT_SECRET: 's',
      AZURE_AD_REDIRECT_URL: 'https://misstag.example.org/auth/callback',
    });
    expect(message).toMatch(/SESSION_SECRET/);
  });

  test('when Entra ID sign-in lacks its variables, then each missing one is named', () => {
    const message = problemsOf({ AUTH_MODE: 'azure' });
    for (const key of ['AZURE_AD_TENANT_ID', 'AZURE_AD_CLIENT_ID', 'AZURE_AD_CLIENT_SECRET', 'AZURE_AD_REDIRECT_URL']) {
      expect(message).toContain(key);
    }
  });

  test('when the tenant is given, then the metadata URL defaults to its v2.0 document', () => {
    const c = loadConfig({ AZURE_AD_TENANT_ID: 'abc', AUTH_MODE: 'dev' });
    expect(c.azure.metadataUrl).toBe('https://login.microsoftonline.com/abc/v2.0/.well-known/openid-configuration');
  });

  test('when DEFAULT_LOCALE is not sv or en, then start-up is refused', () => {
    expect(problemsOf({ DEFAULT_LOCALE: 'de' })).toMatch(/DEFAULT_LOCALE/);
  });

  test('when admin lists are given, then they are split and e-mails lower-cased', () => {
    const c = loadConfig({ ADMIN_EMAILS: 'A@Example.org, b@example.org', ADMIN_GROUP_IDS: 'g1,g2' });
    expect(c.adminEmails).toEqual(['a@example.org', 'b@example.org']);
    expect(c.adminGroupIds).toEqual(['g1', 'g2']);
  });
  describe('mail through Microsoft 365 with OAuth2 (SMTP_OAUTH_*)', () => {
    const oauth = { SMTP_OAUTH_TENANT_ID: '3f8a1c52-6b7d-4e21-9a0c-5d4e3b2a1f00', SMTP_OAUTH_CLIENT_ID: 'mail-app', SMTP_OAUTH_CLIENT_SECRET: 'hemligt', MAIL_FROM: 'Årets misstag <misstag@kommun.example>' };

    test('when tenant, client and secret are set, then Exchange Online, the tenant token endpoint, the Exchange scope and the MAIL_FROM mailbox are used', () => {
      const c = loadConfig(oauth);
      expect(c.smtpUrl).toBe('smtp://smtp.office365.com:587');
      expect(c.smtpOAuth).toEqual({
        clientId: 'mail-app',
        clientSecret: 'hemligt',
        tokenUrl: 'https://login.microsoftonline.com/3f8a1c52-6b7d-4e21-9a0c-5d4e3b2a1f00/oauth2/v2.0/token',
        scope: 'https://outlook.office365.com/.default',
        user: 'misstag@kommun.example',
      });
    });

    test('when SMTP_URL and SMTP_OAUTH_TOKEN_URL are given, then they are used', () => {
      const c = loadConfig({ ...oauth, SMTP_URL: 'smtp://127.0.0.1:2525', SMTP_OAUTH_TOKEN_URL: 'https://login.example.org/token' });
      expect(c.smtpUrl).toBe('smtp://127.0.0.1:2525');
      expect(c.smtpOAuth?.tokenUrl).toBe('https://login.example.org/token');
    });

    test('when only some of them are set, then start-up is refused naming each missing one', () => {
      const message = problemsOf({ SMTP_OAUTH_CLIENT_ID: 'mail-app' });
      expect(message).toMatch(/SMTP_OAUTH_TENANT_ID/);
      expect(message).toMatch(/SMTP_OAUTH_CLIENT_SECRET/);
      expect(message).not.toMatch(/SMTP_OAUTH_CLIENT_ID:/);
    });

    test('when SMTP_URL also holds a user and password, or the token URL is not https, or MAIL_FROM has no address, then start-up is refused naming it', () => {
      expect(problemsOf({ ...oauth, SMTP_URL: 'smtp://misstag:lösen@smtp.office365.com:587' })).toMatch(/SMTP_URL: must not hold a user and password/);
      expect(problemsOf({ ...oauth, SMTP_OAUTH_TOKEN_URL: 'http://login.example.org/token' })).toMatch(/SMTP_OAUTH_TOKEN_URL/);
      expect(problemsOf({ ...oauth, MAIL_FROM: 'Årets misstag' })).toMatch(/MAIL_FROM/);
    });

    test('when none is set, then SMTP_URL alone decides, as before', () => {
      expect(loadConfig({ SMTP_URL: 'smtp://u:p@mail.example.org:587' })).toMatchObject({ smtpUrl: 'smtp://u:p@mail.example.org:587', smtpOAuth: undefined });
      expect(loadConfig({}).smtpUrl).toBeUndefined();
    });
  });

  test('when AUTH_OIDC_LIBRARY is unset, passport-azure-ad signs in; openid-client can be chosen; anything else is refused', () => {
    expect(loadConfig({}).azure.library).toBe('passport-azure-ad');
    expect(loadConfig({ AUTH_OIDC_LIBRARY: 'openid-client' }).azure.library).toBe('openid-client');
    expect(problemsOf({ AUTH_OIDC_LIBRARY: 'msal' })).toMatch(/AUTH_OIDC_LIBRARY/);
  });

  test('when admin e-mails are given and no ALLOWED_EMAIL_DOMAINS, then colleagues may be named at the admins\' domains', () => {
    const c = loadConfig({ NODE_ENV: 'production', AUTH_MODE: 'azure', ...azure, SESSION_SECRET: 'x'.repeat(40), ADMIN_EMAILS: 'First.Admin@Helsingborg.se,b@skola.helsingborg.se' });
    expect(c.allowedEmailDomains).toEqual(['helsingborg.se', 'skola.helsingborg.se']);
  });

  test('when ALLOWED_EMAIL_DOMAINS is set, then it wins; in dev mode example.org is added to the admins\' domains', () => {
    expect(loadConfig({ ALLOWED_EMAIL_DOMAINS: 'Helsingborg.se, skola.helsingborg.se', ADMIN_EMAILS: 'a@other.se' }).allowedEmailDomains).toEqual(['helsingborg.se', 'skola.helsingborg.se']);
    expect(loadConfig({ ADMIN_EMAILS: 'a@helsingborg.se' }).allowedEmailDomains).toEqual(['helsingborg.se', 'example.org']);
    expect(loadConfig({ NODE_ENV: 'production', ...azure, SESSION_SECRET: 'x'.repeat(40) }).allowedEmailDomains).toEqual([]);
  });

  test.each(['*', 'example', 'a@b.se', 'exa mple.org', '.se'])('when ALLOWED_EMAIL_DOMAINS holds %j, then start-up is refused naming it', (value) => {
    expect(problemsOf({ ALLOWED_EMAIL_DOMAINS: value })).toMatch(/ALLOWED_EMAIL_DOMAINS/);
  });
});

const azure = {
  AZURE_AD_TENANT_ID: 't',
  AZURE_AD_CLIENT_ID: 'c',
  AZURE_AD_CLIENT_SECRET: 's',
  AZURE_AD_REDIRECT_URL: 'https://misstag.example.org/auth/callback',
};

describe('safe defaults when NODE_ENV is forgotten', () => {
  test('when nothing says which sign-in to use, then demo sign-in listens on localhost only', () => {
    expect(loadConfig({})).toMatchObject({ authMode: 'dev', host: '127.0.0.1' });
    expect(loadConfig({ HOST: 'localhost' })).toMatchObject({ authMode: 'dev', host: 'localhost' });
    expect(loadConfig({ HOST: '::1' })).toMatchObject({ authMode: 'dev', host: '::1' });
  });

  test.each(['0.0.0.0', '::', '10.1.2.3', 'misstag.example.org'])('when HOST=%s opens the server to others and AUTH_MODE is not set, then start-up is refused naming AUTH_MODE', (host) => {
    const message = problemsOf({ HOST: host });
    expect(message).toMatch(/AUTH_MODE: not set, and demo sign-in/);
    expect(message).toContain('AUTH_MODE=azure');
  });

  test('when demo sign-in is asked for explicitly, then it may listen on every address', () => {
    expect(loadConfig({ AUTH_MODE: 'dev', HOST: '0.0.0.0' })).toMatchObject({ authMode: 'dev', host: '0.0.0.0' });
    expect(loadConfig({ AUTH_MODE: 'dev' })).toMatchObject({ authMode: 'dev', host: undefined });
  });

  test('when Entra ID sign-in is configured, then the server listens on every address as before', () => {
    expect(loadConfig({ AUTH_MODE: 'azure', ...azure })).toMatchObject({ authMode: 'azure', host: undefined });
    expect(loadConfig({ NODE_ENV: 'production', ...azure, SESSION_SECRET: 'x'.repeat(40) })).toMatchObject({ authMode: 'azure', host: undefined });
  });

  test('when HOST is not an address, then start-up is refused naming HOST', () => {
    expect(problemsOf({ HOST: 'a b' })).toMatch(/HOST/);
  });

  test('when the app starts with no environment at all (npm start), then it serves the demo on 127.0.0.1 only and says so loudly', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-config-'));
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let running: Awaited<ReturnType<typeof start>> | undefined;
    try {
      running = await start({ PORT: '0', DATA_DIR: dataDir, SEED_DEMO: 'false' });
    } finally {
      process.stdout.write = write;
    }
    try {
      const address = running.server.address();
      expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
      const warning = lines.map((l) => JSON.parse(l)).find((l) => l.level === 40);
      expect(warning?.msg).toMatch(/^DEMO SIGN-IN IS ON/);
    } finally {
      await running.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('when the app is started for every address without AUTH_MODE, then it refuses to start', async () => {
    await expect(start({ PORT: '0', HOST: '0.0.0.0', DATA_DIR: os.tmpdir(), LOG_LEVEL: 'silent' })).rejects.toThrow(/AUTH_MODE/);
  });
});
