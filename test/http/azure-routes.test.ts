// The Entra ID routes in-process with AUTH_MODE=azure, without a provider (the real provider journeys
// are in test/browser/azure-signin.test.ts): what a signed-out visitor sees, and that every way the
// callback can go wrong gives a page in the reader's language with a way to try again — never a 500.
import { createTestContext, type TestContext } from '../helpers/context';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { classifyFailure, claimsFromToken, createEntraSignIn } from '../../src/auth/azure';
import { isAdminByClaims } from '../../src/auth/azure-routes';
import { classifyOpenIdFailure } from '../../src/auth/azure-openid-client';
import * as oidc from 'openid-client';

const TENANT = '3f8a1c52-6b7d-4e21-9a0c-5d4e3b2a1f00';
// Nothing listens on port 9 here: the provider is unreachable.
const DEAD_METADATA = `https://127.0.0.1:9/${TENANT}/v2.0/.well-known/openid-configuration`;

let ctx: TestContext;

describe.each(['passport-azure-ad', 'openid-client'])('with AUTH_OIDC_LIBRARY=%s', (library) => {
  beforeAll(async () => {
    ctx = await createTestContext({
      env: {
        AUTH_OIDC_LIBRARY: library,
        AUTH_MODE: 'azure',
        AZURE_AD_TENANT_ID: TENANT,
        AZURE_AD_CLIENT_ID: 'client-id',
        AZURE_AD_CLIENT_SECRET: 'client-secret',
        AZURE_AD_REDIRECT_URL: 'http://127.0.0.1:3000/auth/callback',
        AZURE_AD_METADATA_URL: DEAD_METADATA,
      },
    });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  describe('signed out with AUTH_MODE=azure', () => {
    test('when a visitor opens a page, then they are sent to the sign-in page, which has no password form of ours', async () => {
      const agent = ctx.anonymous();
      const page = await agent.get('/nominate?source=intranet');
      expect(page.status).toBe(303);
      expect(page.headers.location).toBe('/auth/login');

      const login = await agent.get('/auth/login');
      expect(login.status).toBe(200);
      expect(login.text).toContain('Logga in med ditt jobbkonto');
      expect(login.text).toContain('href="/auth/azure"');
      expect(login.text).not.toContain('type="password"');
    });

    test('when someone tries the demo sign-in, then it is not there: nobody is signed in by e-mail', async () => {
      const agent = ctx.anonymous();
      const page = await agent.get('/auth/dev');
      expect(page.status).toBe(303);
      expect(page.headers.location).toBe('/auth/login');
      const post = await agent.post('/auth/dev').type('form').send({ _csrf: await agent.csrf(), email: 'admin@example.org' });
      expect(post.status).toBe(401);
      const home = await agent.get('/');
      expect(home.status).toBe(303);
      expect(home.headers.location).toBe('/auth/login');
    });

    test('when the callback is opened without an answer from Microsoft, then it leads back to the sign-in page', async () => {
      const res = await ctx.anonymous().get('/auth/callback');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/auth/login');
    });

    test('when a cancel or a code arrives that this browser never asked for, then a 400 page explains it and offers to try again', async () => {
      for (const query of ['error=access_denied&state=' + 'a'.repeat(32), 'code=stolen-code&state=' + 'b'.repeat(32), 'code=x']) {
        const res = await ctx.anonymous().get(`/auth/callback?${query}`);
        expect(res.status).toBe(400);
        expect(res.text).toContain('Inloggningen kunde inte slutföras');
        expect(res.text).toContain('<a class="button" href="/auth/azure">Försök igen</a>');
      }
    });

    test('when the reader has chosen English, then the failure page is in English', async () => {
      const res = await ctx.anonymous().get(`/auth/callback?code=x&state=${'c'.repeat(32)}`).set('Cookie', 'lang=en');
      expect(res.status).toBe(400);
      expect(res.text).toContain('<html lang="en">');
      expect(res.text).toContain('The sign-in could not be completed');
      expect(res.text).toContain('Try again');
    });

    test('when the provider cannot be reached, then starting the sign-in gives a 503 page to try again later and nobody is signed in', async () => {
      const res = await ctx.anonymous().get('/auth/azure');
      expect(res.status).toBe(503);
      expect(res.text).toContain('Microsofts inloggning svarar inte');
      expect(res.text).toContain('href="/auth/azure"');
      expect(await ctx.db('users').where({ tenant_id: TENANT }).count({ n: '*' })).toEqual([{ n: ctx.isPostgres ? '0' : 0 }]);
    });

    test('when someone signs out and the provider cannot be reached, then the signed-out page still shows, without the Microsoft link', async () => {
      const res = await ctx.anonymous().get('/auth/signed-out');
      expect(res.status).toBe(200);
      expect(res.text).toContain('Du är utloggad.');
      expect(res.text).not.toContain('Logga också ut från ditt Microsoft-konto');
    });
  });
});

describe('reading the ID token', () => {
  const token = (claims: Record<string, unknown>) => ({
    iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    tid: TENANT,
    oid: '00000000-0000-4000-8000-000000000abc',
    name: 'Anna Lindqvist',
    preferred_username: 'anna@kommun.example',
    ...claims,
  });

  test('when the claims are complete, then tenant, object id, name, e-mail, department, groups and roles are read', () => {
    expect(claimsFromToken(token({ email: 'anna.l@kommun.example', department: 'Miljöförvaltningen', groups: ['g1'], roles: ['r1'] }), TENANT)).toEqual({
      tenantId: TENANT,
      objectId: '00000000-0000-4000-8000-000000000abc',
      name: 'Anna Lindqvist',
      email: 'anna.l@kommun.example',
      department: 'Miljöförvaltningen',
      groups: ['g1'],
      roles: ['r1'],
    });
  });

  test('when there is no email claim, then preferred_username is the e-mail', () => {
    const claims = claimsFromToken(token({}), TENANT);
    expect(typeof claims === 'object' && claims.email).toBe('anna@kommun.example');
  });

  test('when the tid is another tenant, or does not match the issuer, then the token is refused as another tenant', () => {
    const other = 'b7c6d5e4-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
    expect(claimsFromToken(token({ tid: other, iss: `https://login.microsoftonline.com/${other}/v2.0` }), TENANT)).toBe('wrong_tenant');
    expect(claimsFromToken(token({ tid: other }), TENANT)).toBe('wrong_tenant');
  });

  test('when oid is missing or not an id, then the token is refused', () => {
    expect(claimsFromToken(token({ oid: undefined }), TENANT)).toBe('missing_claims');
    expect(claimsFromToken(token({ oid: 'x'.repeat(65) }), TENANT)).toBe('missing_claims');
  });

  test('when the name and department are longer than the database keeps, then they are shortened, not refused', () => {
    const claims = claimsFromToken(token({ name: 'Å'.repeat(256), department: 'D'.repeat(300) }), TENANT);
    expect(typeof claims === 'object' && [claims.name.length, claims.department?.length]).toEqual([200, 200]);
  });

  test('when an admin group or the admin role is in the claims, then the person is admin by claim', () => {
    const policy = { adminGroupIds: ['6C1E2F3A-0B9D-4C8E-A7F6-112233445566'], adminRole: 'Misstag.Admin' };
    expect(isAdminByClaims({ groups: ['6c1e2f3a-0b9d-4c8e-a7f6-112233445566'], roles: [] }, policy)).toBe(true);
    expect(isAdminByClaims({ groups: [], roles: ['Misstag.Admin'] }, policy)).toBe(true);
    expect(isAdminByClaims({ groups: ['other'], roles: ['Reader'] }, policy)).toBe(false);
    expect(isAdminByClaims({ groups: [], roles: ['Misstag.Admin'] }, { adminGroupIds: [] })).toBe(false);
  });

  test('when passport-azure-ad reports a failure, then it becomes the reason a person can act on', () => {
    expect(classifyFailure('access_denied')).toBe('cancelled');
    expect(classifyFailure('server_error')).toBe('providerError');
    expect(classifyFailure('missing_claims')).toBe('invalidToken');
    expect(classifyFailure('In collectInfoFromReq: invalid state received in the request')).toBe('state');
    expect(classifyFailure('In _validateResponse: jwt issuer is invalid')).toBe('wrongTenant');
    expect(classifyFailure('In _validateResponse: jwt is expired')).toBe('expired');
    expect(classifyFailure('In _validateResponse: invalid signature')).toBe('invalidToken');
    expect(classifyFailure('In _validateResponse: invalid nonce')).toBe('invalidToken');
    expect(classifyFailure('connect ECONNREFUSED 127.0.0.1:9')).toBe('unreachable');
    expect(classifyFailure('In _authCodeFlowHandler: failed to redeem authorization code')).toBe('codeRefused');
  });

  test('when openid-client reports a failure (its own error classes), then it becomes the same reason', () => {
    const tokenError = (error: string, status: number) => new oidc.ResponseBodyError('server responded with an error in the response body', { cause: { error }, response: new Response(null, { status }) });
    // ClientError's (code, cause) constructor options are not in its published type.
    const check = (code: string, cause: string) => new oidc.ClientError('check failed', { code, cause: new Error(cause) } as ErrorOptions);
    expect(classifyOpenIdFailure({ message: 'End-User aborted interaction', error: 'access_denied' })).toBe('cancelled');
    expect(classifyOpenIdFailure(new oidc.AuthorizationResponseError('authorization response from the server is an error', { cause: new URLSearchParams({ error: 'server_error' }) }))).toBe('providerError');
    expect(classifyOpenIdFailure({ message: 'Unable to verify authorization request state' })).toBe('state');
    expect(classifyOpenIdFailure(check('OAUTH_INVALID_RESPONSE', 'unexpected "state" response parameter value'))).toBe('state');
    expect(classifyOpenIdFailure(tokenError('invalid_client', 401))).toBe('codeRefused');
    expect(classifyOpenIdFailure(tokenError('invalid_grant', 400))).toBe('state');
    expect(classifyOpenIdFailure(tokenError('temporarily_unavailable', 503))).toBe('providerError');
    expect(classifyOpenIdFailure('wrong_tenant')).toBe('wrongTenant');
    expect(classifyOpenIdFailure('missing_claims')).toBe('invalidToken');
    expect(classifyOpenIdFailure(check('OAUTH_JWT_TIMESTAMP_CHECK_FAILED', 'unexpected JWT "exp" (expiration time) claim value, expiration is past current timestamp'))).toBe('expired');
    expect(classifyOpenIdFailure(check('OAUTH_JWT_CLAIM_COMPARISON_FAILED', 'unexpected JWT "iss" (issuer) claim value'))).toBe('wrongTenant');
    expect(classifyOpenIdFailure(check('OAUTH_JWT_CLAIM_COMPARISON_FAILED', 'unexpected ID Token "nonce" claim value'))).toBe('invalidToken');
    expect(classifyOpenIdFailure(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }))).toBe('unreachable');
    expect(classifyOpenIdFailure(new Error('JWS signature verification failed'))).toBe('invalidToken');
  });
});

describe('configuration', () => {
  test('when production is given an http redirect URI, then the sign-in refuses to start, naming the variable', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 's'.repeat(40),
      AZURE_AD_TENANT_ID: TENANT,
      AZURE_AD_CLIENT_ID: 'client-id',
      AZURE_AD_CLIENT_SECRET: 'client-secret',
      AZURE_AD_REDIRECT_URL: 'http://misstag.example.org/auth/callback',
    });
    expect(() => createEntraSignIn(config, pino({ level: 'silent' }))).toThrow(/AZURE_AD_REDIRECT_URL: must start with https:\/\//);
    expect(() => createEntraSignIn({ ...config, azure: { ...config.azure, redirectUrl: 'https://misstag.example.org/auth/callback' } }, pino({ level: 'silent' }))).not.toThrow();
  });
});
