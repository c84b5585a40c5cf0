// Entra ID (Azure AD) sign-in. The rest of the app sees only the small EntraSignIn interface below; the
// OpenID Connect client behind it is chosen with AUTH_OIDC_LIBRARY: passport-azure-ad (the design's
// choice and the default; archived by Microsoft) in azure-passport-azure-ad.ts, or the maintained
// openid-client in azure-openid-client.ts. Both run as passport strategies on a private passport instance.
//
// State, nonce and (openid-client) the PKCE verifier live in the session under `oidc`; the ID token's
// issuer is validated against the tenant-specific v2.0 metadata, and its tenant (tid) must be the
// configured tenant.
import type { Request, Response } from 'express';
import passport from 'passport';
import type { Logger } from 'pino';
import { ConfigError, type Config } from '../config';
import { monotonicMs } from '../clock';
import { passportAzureAd } from './azure-passport-azure-ad';
import { openIdClient } from './azure-openid-client';

export { classifyFailure } from './azure-passport-azure-ad';

/** What a successful sign-in tells us about the person. */
export type EntraClaims = {
  tenantId: string;
  objectId: string;
  name: string;
  email: string;
  department: string | null;
  groups: string[];
  roles: string[];
};

/** Why a sign-in failed, in terms a person can act on (each has its own page). */
export type SignInFailure =
  | 'cancelled' // the person cancelled at Microsoft (error=access_denied)
  | 'providerError' // Microsoft answered with another error
  | 'state' // state unknown or used: not started here, too old, or tampered
  | 'wrongTenant' // a token for another organisation
  | 'expired' // the token is too old
  | 'invalidToken' // signature, audience, nonce or claims do not check out
  | 'codeRefused' // the provider answers but would not give tokens for the code: our client secret is wrong or expired
  | 'unreachable'; // the provider did not answer

export type SignInResult = { ok: true; claims: EntraClaims } | { ok: false; reason: SignInFailure };

export type EntraSignIn = {
  /** Sends the browser to Microsoft's sign-in page (resolves to null), or says why that is not possible. */
  start(req: Request, res: Response): Promise<SignInFailure | null>;
  /** Completes the sign-in on the redirect URI. Never throws for the user's or the provider's failures. */
  finish(req: Request, res: Response): Promise<SignInResult>;
  /** Microsoft's sign-out address, coming back to our sign-in page; undefined if it cannot be found. */
  logoutUrl(): Promise<string | undefined>;
};

const STRATEGY = 'entra-id';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * Reads our identity from the ID token's claims, or says why it cannot be trusted. `expectedTenant` is
 * the configured tenant id (a GUID); the token's tid must also be the tenant in its own issuer.
 */
export function claimsFromToken(jwtClaims: Record<string, unknown>, expectedTenant: string | undefined): EntraClaims | 'wrong_tenant' | 'missing_claims' {
  const tenantId = text(jwtClaims.tid);
  const objectId = text(jwtClaims.oid);
  const iss = text(jwtClaims.iss) ?? '';
  if (!tenantId || !objectId || tenantId.length > 64 || objectId.length > 64) return 'missing_claims';
  const issuerTenant = (() => {
    try {
      return new URL(iss).pathname.split('/')[1] ?? '';
    } catch {
      return '';
    }
  })();
  if (issuerTenant.toLowerCase() !== tenantId.toLowerCase()) return 'wrong_tenant';
  if (expectedTenant && GUID.test(expectedTenant) && expectedTenant.toLowerCase() !== tenantId.toLowerCase()) return 'wrong_tenant';
  const email = text(jwtClaims.email) ?? text(jwtClaims.preferred_username) ?? text(jwtClaims.upn);
  if (!email || email.length > 320) return 'missing_claims';
  // Entra allows display names of 256 characters; the users table keeps 200.
  return {
    tenantId,
    objectId,
    email,
    name: (text(jwtClaims.name) ?? email).slice(0, 200),
    department: text(jwtClaims.department)?.slice(0, 200) ?? null,
    groups: stringList(jwtClaims.groups),
    roles: stringList(jwtClaims.roles),
  };
}

export function createEntraSignIn(config: Config, logger: Logger): EntraSignIn {
  const { tenantId, clientId, clientSecret, redirectUrl, metadataUrl } = config.azure;
  if (!tenantId || !clientId || !clientSecret || !redirectUrl || !metadataUrl) {
    // loadConfig() already refuses to start without them; this guards direct callers.
    throw new Error('Entra ID sign-in needs AZURE_AD_TENANT_ID, AZURE_AD_CLIENT_ID, AZURE_AD_CLIENT_SECRET and AZURE_AD_REDIRECT_URL');
  }
  if (config.isProduction && !redirectUrl.startsWith('https://')) {
    throw new ConfigError(['AZURE_AD_REDIRECT_URL: must start with https:// in production']);
  }

  const settings = { tenantId, clientId, clientSecret, redirectUrl, metadataUrl, isProduction: config.isProduction, readClaims: (jwt: Record<string, unknown>) => claimsFromToken(jwt, tenantId) };
  const library = config.azure.library === 'openid-client' ? openIdClient(settings) : passportAzureAd(settings);
  const failed = (reason: SignInFailure, detail: unknown): { ok: false; reason: SignInFailure } => {
    // The libraries' messages hold no personal data (loggingNoPII for passport-azure-ad; openid-client
    // names the check and the parameter, never a value); they say which check failed.
    const cause = detail instanceof Error && detail.cause instanceof Error ? `: ${detail.cause.message}` : '';
    // openid-client's strategy reports some failures as a plain { message } object.
    const message = detail instanceof Error ? detail.message + cause : typeof detail === 'object' && detail && 'message' in detail ? detail.message : detail;
    logger.warn({ reason, detail: String(message ?? '').slice(0, 300) }, 'entra sign-in failed');
    if (reason === 'codeRefused') {
      // Nobody can sign in until this is fixed, and the employee's page can only say "contact IT".
      logger.error(
        'Entra ID refused to give tokens for a sign-in: check that AZURE_AD_CLIENT_SECRET is the current secret of the app registration (secrets expire) and that AZURE_AD_CLIENT_ID and AZURE_AD_REDIRECT_URL match it',
      );
    }
    return { ok: false, reason };
  };
  // A private passport instance: nothing is registered globally and passport never touches the session
  // for the user (our own session does that, see session.ts).
  const authenticator = new passport.Passport();
  let registered = false;
  /** The strategy registered once; openid-client's first needs the provider's metadata. */
  const ready = async (): Promise<boolean> => {
    if (registered) return true;
    try {
      authenticator.use(STRATEGY, await library.strategy());
      registered = true;
      return true;
    } catch (err) {
      failed('unreachable', err);
      return false;
    }
  };

  const reasonOf = (detail: unknown) => library.classify(detail);

  // passport-azure-ad parses the provider's answers inside its own response handlers, where a page that
  // is not JSON (an outage page, a proxy's block page) throws past every callback and ends the process.
  // So the app reads the metadata and the keys itself first, and only then lets the library run; a
  // success is trusted for a few minutes (the library caches the metadata for 30).
  let providerCheckedUntil = 0;
  let endSessionEndpoint: string | undefined;
  const getJson = async (url: string): Promise<Record<string, unknown>> => {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000), headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`${new URL(url).pathname} answered ${response.status}`);
    const body: unknown = await response.json();
    if (!body || typeof body !== 'object') throw new Error(`${new URL(url).pathname} is not a JSON object`);
    return body as Record<string, unknown>;
  };
  const providerAnswers = async (): Promise<boolean> => {
    if (monotonicMs() < providerCheckedUntil) return true;
    try {
      const metadata = await getJson(metadataUrl);
      if (typeof metadata.jwks_uri !== 'string' || typeof metadata.issuer !== 'string') throw new Error('metadata without issuer or jwks_uri');
      const jwks = await getJson(metadata.jwks_uri);
      if (!Array.isArray(jwks.keys)) throw new Error('signing keys missing');
      endSessionEndpoint = typeof metadata.end_session_endpoint === 'string' ? metadata.end_session_endpoint : undefined;
      providerCheckedUntil = monotonicMs() + 5 * 60 * 1000;
      return true;
    } catch (err) {
      failed('unreachable', err);
      return false;
    }
  };

  return {
    async start(req, res) {
      if (!(await providerAnswers()) || !(await ready())) return 'unreachable';
      return new Promise<SignInFailure | null>((resolve) => {
        // On success the strategy answers with the redirect itself; the callback only hears of failures.
        res.once('close', () => resolve(null));
        const fail = (detail: unknown) => resolve(failed(reasonOf(detail), detail).reason);
        authenticator.authenticate(STRATEGY, { session: false }, (err: unknown, _user: unknown, info: unknown) => fail(err ?? info))(req, res, fail);
      });
    },

    async finish(req, res) {
      // An answer to a sign-in this session never started (or with a changed state) is refused before
      // the provider or the library is asked; a known state needs the provider to be checked first.
      if (!library.hasPendingSignIn(req)) return failed('state', 'the answer belongs to no sign-in started in this session');
      if (!(await providerAnswers()) || !(await ready())) return { ok: false, reason: 'unreachable' };
      return new Promise<SignInResult>((resolve) => {
        const fail = (detail: unknown) => resolve(failed(reasonOf(detail), detail));
        authenticator.authenticate(STRATEGY, { session: false }, (err: unknown, user: unknown, info: unknown) => {
          if (err || !user) return fail(err ?? info);
          resolve({ ok: true, claims: user as EntraClaims });
        })(req, res, fail);
      });
    },

    async logoutUrl() {
      if (!(await providerAnswers()) || !endSessionEndpoint) return undefined;
      const url = new URL(endSessionEndpoint);
      url.searchParams.set('post_logout_redirect_uri', new URL('/auth/login', redirectUrl).href);
      url.searchParams.set('client_id', clientId);
      return url.href;
    },
  };
}
