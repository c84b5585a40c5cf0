import type { Viewer } from './auth/viewer';
import type { Locale } from './i18n';

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    csrfToken?: string;
    returnTo?: string;
    locale?: Locale;
    flash?: Array<{ kind: 'success' | 'info' | 'error'; key: string; params?: Record<string, string | number> }>;
    /** Random seed for the per-visitor gallery order (N6). */
    orderSeed?: number;
    oidc?: Record<string, unknown>;
  }
}

declare global {
  namespace Express {
    interface Request {
      viewer?: Viewer;
      locale: Locale;
    }
  }
}
