// A real OpenID Connect provider (oidc-provider 8.8) for the Entra ID sign-in tests. It is ESM-only, so
// the tests (jest, CommonJS) run this file in a child process: `node provider.mjs <config.json>`.
// Everything it uses comes from the config file the test wrote: port, tenant, certificate, signing key,
// the client (our app) and the users. It is served over HTTPS at /<tenant>/v2.0, so its issuer looks
// like Entra's (https://127.0.0.1:PORT/<tenant>/v2.0), and it issues Entra's claims: tid, oid, name,
// preferred_username, email, groups, roles.
//
// A second client stands for the app's mail registration (issue 19): it gets app-only tokens with the
// client credentials grant, and the test's SMTP server checks them at the introspection endpoint, as
// Exchange Online checks Entra's tokens.
//
// The users file is read again at every sign-in, so a test can change someone's claims between two
// sign-ins. A user may carry `idToken: 'expired' | 'bad-signature'`: the provider then answers the token
// request with an ID token that was re-signed with an expiry in the past, or whose signature was broken
// on the way — how a stale or tampered token reaches the app.
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import Provider from 'oidc-provider';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const prefix = `/${config.tenantId}/v2.0`;
const issuer = `https://127.0.0.1:${config.port}${prefix}`;

function readUsers() {
  return JSON.parse(fs.readFileSync(config.usersFile, 'utf8'));
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: config.clientId,
      client_secret: config.clientSecret,
      redirect_uris: [config.redirectUri, ...(config.extraRedirectUris ?? [])],
      post_logout_redirect_uris: [config.postLogoutRedirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
    {
      client_id: config.mailClientId,
      client_secret: config.mailClientSecret,
      redirect_uris: [],
      response_types: [],
      grant_types: ['client_credentials'],
      scope: 'https://outlook.office365.com/.default',
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  jwks: { keys: [config.signingKey] },
  // Exchange Online's scope for app-only SMTP, as the mail app asks Entra for it.
  scopes: ['openid', 'offline_access', 'https://outlook.office365.com/.default'],
  cookies: { keys: [config.cookieKey] },
  // Entra puts the user's claims in the ID token itself (the v2.0 endpoint has no userinfo step).
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub', 'tid', 'oid', 'groups', 'roles', 'department'],
    profile: ['name', 'preferred_username'],
    email: ['email'],
  },
  async findAccount(_ctx, id) {
    const user = readUsers()[id];
    if (!user) return undefined;
    return { accountId: id, claims: async () => ({ sub: `sub-${id}`, ...user.claims }) };
  },
  // A first-party app: no consent screen, as with an Entra app the administrator has consented to.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email');
    grant.addOIDCClaims(['tid', 'oid', 'groups', 'roles', 'department', 'name', 'preferred_username', 'email']);
    await grant.save();
    return grant;
  },
  pkce: { required: () => false },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
  },
  ttl: { Session: 600, Interaction: 600, Grant: 600, AuthorizationCode: 60, IdToken: 600, AccessToken: 600, ClientCredentials: 600 },
});

const signingKey = crypto.createPrivateKey({ key: config.signingKey, format: 'jwk' });
const decodePart = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
const encodePart = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The token endpoint's answer, changed for the users whose test asks for a stale or tampered token. */
async function alterTokenResponse(body) {
  const json = JSON.parse(body);
  if (json.access_token && !json.id_token) process.stdout.write(`issued client credentials token\n`);
  if (!json.id_token) return body;
  const [headerPart, claimsPart] = json.id_token.split('.');
  const claims = decodePart(claimsPart);
  const user = Object.values(readUsers()).find((u) => `sub-${u.login}` === claims.sub);
  if (user?.idToken === 'expired') {
    // Signed properly with the provider's own key (RS256), only two hours old.
    const now = Math.floor(Date.now() / 1000);
    const signingInput = `${encodePart(decodePart(headerPart))}.${encodePart({ ...claims, iat: now - 7200, exp: now - 3600 })}`;
    const signature = crypto.sign('sha256', Buffer.from(signingInput), signingKey).toString('base64url');
    json.id_token = `${signingInput}.${signature}`;
  } else if (user?.idToken === 'bad-signature') {
    const [h, p, s] = json.id_token.split('.');
    const sig = Buffer.from(s, 'base64url');
    sig[0] ^= 0xff;
    json.id_token = [h, p, sig.toString('base64url')].join('.');
  }
  return JSON.stringify(json);
}

const handle = provider.callback();
const server = https.createServer({ key: config.tlsKey, cert: config.tlsCert }, (req, res) => {
  if (!req.url.startsWith(prefix + '/') && req.url !== prefix) {
    res.writeHead(404).end('not found');
    return;
  }
  // Mounted under the prefix: oidc-provider reads the mount path from originalUrl.
  req.originalUrl = req.url;
  req.url = req.url.slice(prefix.length) || '/';
  if (req.method === 'POST' && req.url.startsWith('/token')) {
    const end = res.end.bind(res);
    res.end = (chunk, ...rest) => {
      alterTokenResponse(String(chunk ?? '')).then(
        (changed) => {
          if (!res.headersSent) res.setHeader('content-length', Buffer.byteLength(changed));
          end(changed, ...rest);
        },
        () => end(chunk, ...rest),
      );
      return res;
    };
  }
  handle(req, res);
});

server.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
