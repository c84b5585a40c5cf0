import { ConfigError, loadConfig } from '../../src/config';

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
    expect(c).toMatchObject({ port: 3000, authMode: 'dev', defaultLocale: 'sv', isProduction: false, databaseUrl: undefined });
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
});
