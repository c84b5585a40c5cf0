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
});
