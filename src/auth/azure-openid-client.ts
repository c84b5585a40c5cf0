// Sign-in with openid-client (AUTH_OIDC_LIBRARY=openid-client): a maintained, certified OpenID Connect
// client, through its own passport strategy (openid-client/passport). It is ESM-only; Node 20.19+ loads
// it with require(), and only when it is chosen.
//
// The same flow as passport-azure-ad: authorization code with response_mode=query, our own state and
// nonce on every request (the strategy would send only PKCE to a provider that supports it), PKCE on top,
// the issuer checked at discovery and in the ID token, and the ID token's signature checked against the
// provider's keys (enableNonRepudiationChecks; by default the library trusts the TLS connection).
import type { Request } from 'express';
import type { Strategy as PassportStrategy } from 'passport';
import type { SignInFailure } from './azure';
import { NETWORK_FAILURE, SESSION_KEY, type OidcLibrary, type OidcSettings } from './oidc-library';

type OpenIdClient = typeof import('openid-client');
type OpenIdPassport = typeof import('openid-client/passport');

/** Turns what openid-client's strategy reports (an error, or a fail() message) into a reason. Exported for the unit test. */
export function classifyOpenIdFailure(detail: unknown): SignInFailure {
  if (typeof detail === 'string') {
    if (detail === 'wrong_tenant') return 'wrongTenant';
    if (detail === 'missing_claims') return 'invalidToken';
  }
  if (!detail || typeof detail !== 'object') return 'invalidToken';
  const d = detail as { name?: unknown; message?: unknown; code?: unknown; error?: unknown; cause?: unknown };
  // An error answer in the callback (error=…): access_denied is the person cancelling.
  if (d.error === 'access_denied') return 'cancelled';
  if (d.name === 'AuthorizationResponseError') return 'providerError';
  // The token endpoint refused the code: our credentials (invalid_client), or a used or stale code.
  if (d.name === 'ResponseBodyError') {
    if (d.error === 'invalid_client' || d.error === 'unauthorized_client') return 'codeRefused';
    if (d.error === 'invalid_grant') return 'state';
    return 'providerError';
  }
  const message = String(d.message ?? '');
  const cause = d.cause instanceof Error ? d.cause.message : '';
  if (/verify authorization request state/i.test(message) || (d.code === 'OAUTH_INVALID_RESPONSE' && /"state"/.test(cause))) return 'state';
  if (d.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return 'expired';
  if (d.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && /"iss"/.test(cause)) return 'wrongTenant';
  if (d.code === 'OAUTH_TIMEOUT' || d.code === 'OAUTH_RESPONSE_IS_NOT_JSON' || d.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') return 'unreachable';
  if (NETWORK_FAILURE.test(`${message} ${cause}`)) return 'unreachable';
  return 'invalidToken';
}

export function openIdClient(settings: OidcSettings): OidcLibrary {
  const { clientId, clientSecret, redirectUrl, metadataUrl } = settings;
  // Loaded on first use: the default library never pays for it.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const client = (): OpenIdClient => require('openid-client') as OpenIdClient;
  const passportStrategy = (): OpenIdPassport => require('openid-client/passport') as OpenIdPassport;
  /* eslint-enable @typescript-eslint/no-require-imports */

  // Discovery from the issuer (the metadata URL without its well-known suffix) lets the library check
  // that the document's issuer is that issuer. Repeated after a failure; kept once it worked.
  let ready: Promise<PassportStrategy> | undefined;
  const discover = async (): Promise<PassportStrategy> => {
    const oidc = client();
    const suffix = '/.well-known/openid-configuration';
    const server = new URL(metadataUrl.endsWith(suffix) ? metadataUrl.slice(0, -suffix.length) : metadataUrl);
    const config = await oidc.discovery(server, clientId, { redirect_uris: [redirectUrl], response_types: ['code'] }, oidc.ClientSecretPost(clientSecret), {
      execute: [oidc.enableNonRepudiationChecks],
      timeout: 5,
    });
    const { Strategy } = passportStrategy();
    class EntraStrategy extends Strategy {
      // A fresh state and nonce on every sign-in; the strategy keeps them with the PKCE verifier in the
      // session and checks them in the callback.
      override authorizationRequestParams<TOptions extends object>(req: Request, options: TOptions) {
        const params = new URLSearchParams(super.authorizationRequestParams(req, options));
        params.set('state', oidc.randomState());
        params.set('nonce', oidc.randomNonce());
        params.set('response_mode', 'query');
        return params;
      }
    }
    // The library's own typing of passport's `this` is narrower than passport's Strategy; it is one.
    const strategy: unknown = new EntraStrategy(
      { config, callbackURL: redirectUrl, scope: 'openid profile email', sessionKey: SESSION_KEY, passReqToCallback: true },
      (_req, tokens, verified) => {
        const claims = settings.readClaims((tokens.claims() ?? {}) as Record<string, unknown>);
        if (typeof claims === 'string') return verified(null, false, claims as never);
        verified(null, claims);
      },
    );
    return strategy as PassportStrategy;
  };
  return {
    strategy() {
      ready ??= discover().catch((err: unknown) => {
        ready = undefined;
        throw err;
      });
      return ready;
    },
    classify: classifyOpenIdFailure,
    hasPendingSignIn(req: Request) {
      const pending = req.session[SESSION_KEY] as { state?: unknown } | undefined;
      return typeof pending?.state === 'string' && pending.state === req.query.state;
    },
  };
}
