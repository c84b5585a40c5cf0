// The part of passport-azure-ad (no published types) that src/auth/azure.ts uses.
declare module 'passport-azure-ad' {
  import type { Request } from 'express';
  import type { Strategy } from 'passport';

  export type OIDCStrategyOptions = {
    identityMetadata: string;
    clientID: string;
    clientSecret: string;
    responseType: 'code';
    responseMode: 'query' | 'form_post';
    redirectUrl: string;
    allowHttpForRedirectUrl?: boolean;
    validateIssuer?: boolean;
    issuer?: string | string[];
    passReqToCallback: true;
    scope?: string[];
    sessionKey?: string;
    nonceLifetime?: number;
    nonceMaxAmount?: number;
    clockSkew?: number;
    loggingLevel?: 'info' | 'warn' | 'error';
    loggingNoPII?: boolean;
  };

  export type VerifyDone = (err: Error | null, user?: unknown, info?: unknown) => void;

  export class OIDCStrategy implements Strategy {
    constructor(
      options: OIDCStrategyOptions,
      verify: (req: Request, iss: string, sub: string, profile: unknown, jwtClaims: Record<string, unknown>, accessToken: string, refreshToken: string, params: unknown, done: VerifyDone) => void,
    );
    name: string;
    authenticate(req: Request, options?: unknown): void;
  }
}
