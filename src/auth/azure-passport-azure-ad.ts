// Sign-in with passport-azure-ad (the default, AUTH_OIDC_LIBRARY=passport-azure-ad): Microsoft's own
// strategy, archived upstream. Only this file knows it.
//
// Flow: authorization code (response_type=code) with response_mode=query — form_post would be a
// cross-site POST, which does not carry our SameSite=Lax session cookie, so state and nonce could not be
// checked. The ID token's issuer is validated against the tenant-specific v2.0 metadata.
import type { Request } from 'express';
import { OIDCStrategy, type VerifyDone } from 'passport-azure-ad';
import type { SignInFailure } from './azure';
import { NETWORK_FAILURE, SESSION_KEY, type OidcLibrary, type OidcSettings } from './oidc-library';

/** Turns passport-azure-ad's failure messages into a reason. Exported for the unit test. */
export function classifyFailure(message: unknown): SignInFailure {
  const text = String(message ?? '');
  if (text === 'wrong_tenant') return 'wrongTenant';
  if (text === 'missing_claims') return 'invalidToken';
  if (text === 'access_denied') return 'cancelled';
  if (/^[a-z_]+$/.test(text)) return 'providerError'; // any other OAuth error code from the provider
  if (/invalid state|missing state|invalid custom state/i.test(text)) return 'state';
  if (/jwt issuer is invalid/i.test(text)) return 'wrongTenant';
  if (/jwt is expired|jwt is not active/i.test(text)) return 'expired';
  // Only reached after the provider answered the metadata check (finish): it refused the app's credentials.
  if (/redeem authorization code/i.test(text)) return 'codeRefused';
  if (NETWORK_FAILURE.test(text)) return 'unreachable';
  return 'invalidToken';
}

export function passportAzureAd(settings: OidcSettings): OidcLibrary {
  const { tenantId, clientId, clientSecret, redirectUrl, metadataUrl } = settings;
  const strategy = new OIDCStrategy(
    {
      identityMetadata: metadataUrl,
      clientID: clientId,
      clientSecret,
      responseType: 'code',
      responseMode: 'query',
      redirectUrl,
      // Local development and the tests run the app on http://; production redirect URIs are https.
      allowHttpForRedirectUrl: !settings.isProduction,
      validateIssuer: true,
      // With the tenant-specific metadata the issuer comes from it; for Microsoft's own endpoints the
      // tenant's issuer is also named here, so a common/organizations metadata URL stays safe.
      issuer: new URL(metadataUrl).hostname === 'login.microsoftonline.com' ? `https://login.microsoftonline.com/${tenantId}/v2.0` : undefined,
      passReqToCallback: true,
      scope: ['profile', 'email'],
      sessionKey: SESSION_KEY,
      nonceLifetime: 15 * 60,
      loggingLevel: 'error',
      loggingNoPII: true,
    },
    // passport-azure-ad picks the arguments by the function's arity: keep all nine.
    (_req, _iss, _sub, _profile, jwtClaims, _accessToken, _refreshToken, _params, done: VerifyDone) => {
      const claims = settings.readClaims(jwtClaims);
      if (typeof claims === 'string') return done(null, false, claims);
      done(null, claims);
    },
  );
  return {
    strategy: async () => strategy,
    classify: (detail) => classifyFailure(detail instanceof Error ? detail.message : detail),
    hasPendingSignIn(req: Request) {
      const pending = (req.session[SESSION_KEY] as { content?: Array<{ state?: unknown }> } | undefined)?.content;
      return Array.isArray(pending) && pending.some((tuple) => tuple.state === req.query.state);
    },
  };
}
