// One schema for every environment variable of SPEC §5: typed, validated, with a default where a safe
// one exists. loadConfig() throws ConfigError naming each bad variable; server.ts prints it and exits.
import path from 'node:path';
import { z } from 'zod';

export const DEV_SESSION_SECRET = 'dev-only-secret-change-me';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `must be a URL starting with ${protocols.map((p) => p + '//').join(' or ')}`);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z
    .string()
    .trim()
    .regex(/^[\w.:-]{1,253}$/, 'must be a host name or an IP address, e.g. 127.0.0.1 or 0.0.0.0')
    .optional(),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  SESSION_SECRET: optionalString,
  AUTH_MODE: z.enum(['azure', 'dev']).optional(),
  AZURE_AD_TENANT_ID: optionalString,
  AZURE_AD_CLIENT_ID: optionalString,
  AZURE_AD_CLIENT_SECRET: optionalString,
  AZURE_AD_REDIRECT_URL: url(['http:', 'https:']).optional(),
  AZURE_AD_METADATA_URL: url(['https:']).optional(),
  AUTH_OIDC_LIBRARY: z.enum(['passport-azure-ad', 'openid-client']).default('passport-azure-ad'),
  ADMIN_EMAILS: csv,
  ADMIN_GROUP_IDS: csv,
  ADMIN_ROLE: optionalString,
  ALLOWED_EMAIL_DOMAINS: csv.refine((list) => list.every((d) => DOMAIN.test(d)), 'must be comma-separated domain names, e.g. helsingborg.se,skola.helsingborg.se'),
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  SMTP_OAUTH_TENANT_ID: optionalString,
  SMTP_OAUTH_CLIENT_ID: optionalString,
  SMTP_OAUTH_CLIENT_SECRET: optionalString,
  SMTP_OAUTH_TOKEN_URL: url(['https:']).optional(),
  MAIL_FROM: z.string().trim().default('Årets misstag <noreply@example.org>'),
  PUBLIC_URL: url(['http:', 'https:']).optional(),
  // A Teams Workflows "post to a channel when a webhook request is received" URL (R11); unset: no posts.
  TEAMS_WEBHOOK_URL: url(['http:', 'https:']).optional(),
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((v, ctx) => {
      if (v === 'true') return true as const;
      if (v === 'false' || v === '') return false as const;
      if (/^\d+$/.test(v)) return Number(v);
      if (/^[\w.:/,\s-]+$/.test(v)) return v; // e.g. "loopback" or a list of subnets
      ctx.addIssue({ code: 'custom', message: 'must be true, false, a hop count or a subnet list' });
      return z.NEVER;
    }),
  DEFAULT_LOCALE: z.enum(['sv', 'en']).default('sv'),
  INTRANET_ORIGIN: url(['http:', 'https:']).optional(),
  ORG_NAME: z.string().trim().min(1).default('Helsingborgs stad'),
  ORG_LOGO_URL: optionalString,
  ACCESSIBILITY_EMAIL: z.string().trim().email().optional(),
  ACCESSIBILITY_PHONE: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DRAFT_MAX_AGE_DAYS: z.coerce.number().int().min(1).default(180),
  SEED_DEMO: z.enum(['auto', 'true', 'false']).default('auto'),
});

export type Config = {
  nodeEnv: 'development' | 'production' | 'test';
  isProduction: boolean;
  port: number;
  /** The address to listen on; undefined: every interface. */
  host?: string;
  databaseUrl?: string;
  dataDir: string;
  sessionSecret: string;
  authMode: 'azure' | 'dev';
  azure: {
    tenantId?: string;
    clientId?: string;
    clientSecret?: string;
    redirectUrl?: string;
    metadataUrl?: string;
    /** Which OpenID Connect client signs people in (src/auth/azure.ts). */
    library: 'passport-azure-ad' | 'openid-client';
  };
  adminEmails: string[];
  adminGroupIds: string[];
  adminRole?: string;
  /**
   * The organisation's e-mail domains: a nomination can name colleagues only there (the app is no mail
   * relay). Empty: only colleagues who have signed in can be named.
   */
  allowedEmailDomains: string[];
  smtpUrl?: string;
  /** SMTP with OAuth2 (XOAUTH2): an app-only token from Entra ID for Microsoft 365 (src/mail). */
  smtpOAuth?: SmtpOAuth;
  mailFrom: string;
  publicUrl: string;
  teamsWebhookUrl?: string;
  trustProxy: boolean | number | string;
  defaultLocale: 'sv' | 'en';
  intranetOrigin?: string;
  orgName: string;
  orgLogoUrl?: string;
  accessibilityEmail?: string;
  accessibilityPhone?: string;
  logLevel: string;
  draftMaxAgeDays: number;
  seedDemo: 'auto' | 'true' | 'false';
};

export type SmtpOAuth = {
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
  scope: string;
  /** The mailbox that sends: the address in MAIL_FROM. */
  user: string;
};

export const M365_SMTP_URL = 'smtp://smtp.office365.com:587';
export const M365_SMTP_SCOPE = 'https://outlook.office365.com/.default';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Whether the server is reachable from this machine only. */
export function isLoopback(host: string | undefined): boolean {
  if (host === undefined) return false;
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(env[String(issue.path[0])])})`),
    );
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  const authMode = e.AUTH_MODE ?? (isProduction ? 'azure' : 'dev');
  // Demo sign-in lets anyone who reaches the server sign in as anyone, admin included. When nobody asked
  // for it (AUTH_MODE unset, e.g. NODE_ENV forgotten on a server) it only listens on this machine.
  const host = e.HOST ?? (authMode === 'dev' && !e.AUTH_MODE ? '127.0.0.1' : undefined);
  const problems: string[] = [];

  if (authMode === 'dev' && !e.AUTH_MODE && !isLoopback(host)) {
    problems.push(
      `AUTH_MODE: not set, and demo sign-in (anyone can sign in as anyone) is only the default on localhost, but HOST=${host ?? ''} listens on other addresses. Set AUTH_MODE=azure (and NODE_ENV=production) for Entra ID sign-in, or AUTH_MODE=dev if you really want the demo there`,
    );
  }
  if (isProduction && authMode === 'dev') {
    problems.push('AUTH_MODE: demo sign-in (dev) is not allowed when NODE_ENV=production');
  }
  if (isProduction && (!e.SESSION_SECRET || e.SESSION_SECRET === DEV_SESSION_SECRET || e.SESSION_SECRET.length < 32)) {
    problems.push('SESSION_SECRET: required in production, at least 32 characters and not the development default');
  }
  if (authMode === 'azure') {
    const required = ['AZURE_AD_TENANT_ID', 'AZURE_AD_CLIENT_ID', 'AZURE_AD_CLIENT_SECRET', 'AZURE_AD_REDIRECT_URL'] as const;
    for (const key of required) {
      if (!e[key]) problems.push(`${key}: required when AUTH_MODE=azure`);
    }
  }
  const smtpOAuth = smtpOAuthFrom(e, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const adminEmails = e.ADMIN_EMAILS.map((m) => m.toLowerCase());
  const allowedEmailDomains = e.ALLOWED_EMAIL_DOMAINS.length
    ? e.ALLOWED_EMAIL_DOMAINS.map((d) => d.toLowerCase())
    : [...new Set([...adminEmails.map((m) => m.slice(m.lastIndexOf('@') + 1)).filter((d) => DOMAIN.test(d)), ...(authMode === 'dev' ? ['example.org'] : [])])];
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    nodeEnv: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    host,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    sessionSecret: e.SESSION_SECRET ?? DEV_SESSION_SECRET,
    authMode,
    azure: {
      tenantId: e.AZURE_AD_TENANT_ID,
      clientId: e.AZURE_AD_CLIENT_ID,
      clientSecret: e.AZURE_AD_CLIENT_SECRET,
      redirectUrl: e.AZURE_AD_REDIRECT_URL,
      metadataUrl:
        e.AZURE_AD_METADATA_URL ??
        (e.AZURE_AD_TENANT_ID
          ? `https://login.microsoftonline.com/${e.AZURE_AD_TENANT_ID}/v2.0/.well-known/openid-configuration`
          : undefined),
      library: e.AUTH_OIDC_LIBRARY,
    },
    adminEmails,
    allowedEmailDomains,
    adminGroupIds: e.ADMIN_GROUP_IDS,
    adminRole: e.ADMIN_ROLE,
    smtpUrl: e.SMTP_URL ?? (smtpOAuth ? M365_SMTP_URL : undefined),
    smtpOAuth,
    mailFrom: e.MAIL_FROM,
    publicUrl,
    teamsWebhookUrl: e.TEAMS_WEBHOOK_URL,
    trustProxy: e.TRUST_PROXY,
    defaultLocale: e.DEFAULT_LOCALE,
    intranetOrigin: e.INTRANET_ORIGIN,
    orgName: e.ORG_NAME,
    orgLogoUrl: e.ORG_LOGO_URL,
    accessibilityEmail: e.ACCESSIBILITY_EMAIL,
    accessibilityPhone: e.ACCESSIBILITY_PHONE,
    logLevel: e.LOG_LEVEL,
    draftMaxAgeDays: e.DRAFT_MAX_AGE_DAYS,
    seedDemo: e.SEED_DEMO,
  };
}

/**
 * SMTP_OAUTH_*: all three of tenant, client and secret, or none. With them the SMTP server is Microsoft 365's
 * unless SMTP_URL names another, which then must not carry a user and password (that is basic auth).
 */
function smtpOAuthFrom(e: z.infer<typeof schema>, problems: string[]): SmtpOAuth | undefined {
  const keys = ['SMTP_OAUTH_TENANT_ID', 'SMTP_OAUTH_CLIENT_ID', 'SMTP_OAUTH_CLIENT_SECRET'] as const;
  if (!keys.some((key) => e[key]) && !e.SMTP_OAUTH_TOKEN_URL) return undefined;
  for (const key of keys) {
    if (!e[key]) problems.push(`${key}: required for mail through Microsoft 365 with OAuth2 (another SMTP_OAUTH_ variable is set)`);
  }
  if (e.SMTP_URL && new URL(e.SMTP_URL).username) {
    problems.push('SMTP_URL: must not hold a user and password when SMTP_OAUTH_* are set (the token replaces them)');
  }
  const user = (/<([^<>\s]+@[^<>\s]+)>/.exec(e.MAIL_FROM)?.[1] ?? e.MAIL_FROM).trim();
  if (!/^[^@\s]+@[^@\s]+$/.test(user)) problems.push('MAIL_FROM: must hold the address of the sending mailbox when SMTP_OAUTH_* are set');
  if (!e.SMTP_OAUTH_TENANT_ID || !e.SMTP_OAUTH_CLIENT_ID || !e.SMTP_OAUTH_CLIENT_SECRET) return undefined;
  return {
    clientId: e.SMTP_OAUTH_CLIENT_ID,
    clientSecret: e.SMTP_OAUTH_CLIENT_SECRET,
    tokenUrl: e.SMTP_OAUTH_TOKEN_URL ?? `https://login.microsoftonline.com/${encodeURIComponent(e.SMTP_OAUTH_TENANT_ID)}/oauth2/v2.0/token`,
    scope: M365_SMTP_SCOPE,
    user,
  };
}
