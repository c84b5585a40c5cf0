// What src/auth/azure.ts needs from an OpenID Connect client library: a passport strategy that signs in
// with the authorization code flow (state, nonce, PKCE where the library does it), the library's failures
// turned into our reasons, and whether a callback answers a sign-in this session started. One file per
// library: azure-passport-azure-ad.ts (the default) and azure-openid-client.ts (AUTH_OIDC_LIBRARY).
import type { Request } from 'express';
import type { Strategy } from 'passport';
import type { EntraClaims, SignInFailure } from './azure';

/** Settings both libraries get: the app registration, checked by loadConfig(). */
export type OidcSettings = {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  metadataUrl: string;
  isProduction: boolean;
  /** Our identity from the ID token's claims, or why the token cannot be trusted (azure.ts). */
  readClaims(jwtClaims: Record<string, unknown>): EntraClaims | 'wrong_tenant' | 'missing_claims';
};

export type OidcLibrary = {
  /** The strategy; a library that discovers the provider first may reject (the provider is unreachable). */
  strategy(): Promise<Strategy>;
  classify(detail: unknown): SignInFailure;
  hasPendingSignIn(req: Request): boolean;
};

/** Both libraries keep the sign-in's state, nonce and PKCE verifier in the session under this key. */
export const SESSION_KEY = 'oidc';

export const NETWORK_FAILURE = /metadata|signing keys|fetch failed|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|socket hang up|certificate/i;
