// createApp(deps) builds the Express app from its dependencies; nothing here does I/O at import time,
// so tests build as many apps as they like on their own databases.
import crypto from 'node:crypto';
import path from 'node:path';
import express, { type Request } from 'express';
import ejs from 'ejs';
import { inTurnWithBudget } from './turns';
import { keepCompiledPartials, renderedOnce, templateOptions } from './views';
import helmet from 'helmet';
import session from 'express-session';
import cookieParser from 'cookie-parser';
import pinoHttp from 'pino-http';
import { publicDir, viewsDir } from './paths';
import { KnexSessionStore } from './auth/session-store';
import { csrfProtection } from './auth/csrf';
import { loadViewer, requireSignIn, wantsJson } from './auth/guards';
import { authRoutes } from './auth/routes';
import { applyUserLocale, localeMiddleware } from './http/locale';
import { multipartUploads } from './http/multipart';
import { perUserLimiter } from './http/rate-limit';
import { acceptsUploads, storedAttachmentBytes, UPLOAD_QUOTA_BYTES } from './nominations/service';
import { requireKnownBodyType } from './http/body-types';
import { errorHandler, notFoundHandler } from './http/errors';
import { healthRoutes, publicRoutes } from './http/public-routes';
import { homeRoutes } from './home/routes';
import { adminRoutes } from './admin/routes';
import { juryRoutes } from './jury/routes';
import { privacyRoutes } from './privacy/routes';
import { exportRoutes } from './exports/routes';
import { createLiveBus } from './live/bus';
import { liveRoutes } from './live/routes';
import { registerSubscribers } from './events/subscribers';
import { ceremonyRoutes } from './ceremony/routes';
import { calendarRoutes } from './calendar/routes';
import { archiveRoutes } from './archive/routes';
import { cardRoutes } from './cards/routes';
import { votingRoutes } from './voting/routes';
import { editionAdminRoutes } from './editions/routes';
import type { AppDeps } from './deps';
import { notificationRoutes } from './notifications/routes';
import { nominationRoutes } from './nominations/routes';

export type { AppDeps };

export type AppHandle = { app: express.Express; sessionStore: KnexSessionStore };

export function createApp(deps: AppDeps): AppHandle {
  const { config, db, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('views', viewsDir());
  app.set('view engine', 'ejs');
  registerViewEngine(app, config.isProduction);
  // Probes first: no session (row or cookie), no request log line (SPEC §6 "Health probes create no session").
  app.use(healthRoutes(deps));
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{8,64}$/.test(incoming) ? incoming : crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // No personal data in the logs: method, path without query, status and timing only.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/static/') },
    }),
  );

  // Defaults every view can rely on, even when an error stops the request early.
  const defaultLocale = localeMiddleware(config);
  app.use((req, res, next) => {
    res.locals.viewer = null;
    res.locals.unreadCount = 0;
    res.locals.flash = [];
    res.locals.csrfToken = '';
    res.locals.currentPath = req.path;
    res.locals.config = {
      orgName: config.orgName,
      defaultLocale: config.defaultLocale,
      orgLogoUrl: config.orgLogoUrl,
      authMode: config.authMode,
      accessibilityEmail: config.accessibilityEmail,
      accessibilityPhone: config.accessibilityPhone,
    };
    res.locals.title = '';
    defaultLocale(req, res, next);
  });

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          upgradeInsecureRequests: config.isProduction ? [] : null,
        },
      },
      frameguard: { action: 'sameorigin' },
      strictTransportSecurity: config.isProduction,
      referrerPolicy: { policy: 'same-origin' },
    }),
  );

  // INTRANET_ORIGIN may frame the nomination form and the pages it leads to, nothing else.
  if (config.intranetOrigin) app.use(allowFramingOfNominationForm(config.intranetOrigin));

  app.use('/static', express.static(publicDir(), { maxAge: config.isProduction ? '7d' : 0, index: false }));

  app.use(express.urlencoded({ extended: false, limit: '300kb', parameterLimit: 500 }));
  app.use(express.json({ limit: '100kb' }));
  app.use(requireKnownBodyType);
  app.use(cookieParser());

  const sessionStore = new KnexSessionStore(db, { pruneIntervalMs: 15 * 60 * 1000, now: deps.now });
  app.use(
    session({
      name: deps.sessionCookieName,
      secret: config.sessionSecret,
      store: sessionStore,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      proxy: config.trustProxy !== false,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.isProduction,
        maxAge: 8 * 60 * 60 * 1000,
      },
    }),
  );

  app.use(localeMiddleware(config));
  app.use(loadViewer(db, deps.now));
  app.use(applyUserLocale);
  // Session, CSRF token, rate limit and quota are checked before a file is read (SPEC §6).
  app.use(
    multipartUploads({
      dataDir: config.dataDir,
      acceptsFiles: (req) => acceptsUploads(req.path),
      limiter: perUserLimiter(30, 10 * 60 * 1000),
      storedBytes: (userId) => storedAttachmentBytes(db, userId),
      quotaBytes: UPLOAD_QUOTA_BYTES,
    }),
  );
  app.use(csrfProtection);
  app.use((req, res, next) => {
    // Only a page shows the flash and uses it up. A background request (the jury's autosave, a vote
    // sent with fetch) that reads the session while a form's answer is on its way must not take the
    // confirmation away from the page that follows.
    if (req.method === 'GET' && !wantsJson(req)) {
      res.locals.flash = req.session?.flash ?? [];
      if (req.session?.flash) delete req.session.flash;
    }
    next();
  });

  // Open to everyone: sign-in, health, language choice, accessibility statement.
  app.use(publicRoutes(deps));
  app.use(authRoutes(deps));
  // The phone vote (C7) decides itself: everyone in the hall with the room code, or signed-in employees.
  // Ceremony (C1–C3, C6–C8), live vote, archive (C4), share cards (C5); live streams end at shutdown.
  // Routes only follow the bus (subscribe); what changed reaches it through events after commit.
  const liveBus = createLiveBus({ db, databaseUrl: config.databaseUrl, logger });
  (app as unknown as NodeJS.EventEmitter).on('shutdown', () => void liveBus.close());
  registerSubscribers(deps.events, { ...deps, liveBus });
  app.use(liveRoutes(deps, liveBus));

  // Everything below needs a signed-in user (SPEC §5).
  app.use(requireSignIn);
  // Personal pages are never kept by the browser or a proxy (a shared PC, the back button after
  // sign-out). Attachments set their own `private, no-cache`.
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  // Before the gallery: puts the viewer's voting state in res.locals.voting for /entries pages.
  app.use(votingRoutes(deps));
  app.use(notificationRoutes(deps));
  app.use(nominationRoutes(deps));
  app.use(homeRoutes(deps));
  app.use(adminRoutes(deps));
  app.use(editionAdminRoutes(deps));
  app.use(juryRoutes(deps));
  app.use(privacyRoutes(deps));
  app.use(exportRoutes(deps));
  app.use(calendarRoutes(deps));
  app.use(ceremonyRoutes(deps, liveBus));
  app.use(archiveRoutes(deps));
  app.use(cardRoutes(deps));

  app.use(notFoundHandler);
  app.use(errorHandler(deps));

  return { app, sessionStore };
}

/** The pages the intranet embeds: the nomination form, a draft's edit form and where a nomination ends. */
const FRAMEABLE = [/^\/nominate\/?$/, /^\/nominations\/mine\/?$/, /^\/nominations\/\d{1,9}(\/edit)?\/?$/];

function allowFramingOfNominationForm(origin: string): express.RequestHandler {
  return (req, res, next) => {
    if (!FRAMEABLE.some((pattern) => pattern.test(req.path))) return next();
    // Helmet has set frame-ancestors 'self' and X-Frame-Options (which cannot name another origin).
    const writeHead = res.writeHead;
    res.writeHead = function (this: express.Response, ...args: Parameters<typeof writeHead>) {
      const csp = this.getHeader('Content-Security-Policy');
      if (typeof csp === 'string') this.setHeader('Content-Security-Policy', csp.replace("frame-ancestors 'self'", `frame-ancestors 'self' ${origin}`));
      this.removeHeader('X-Frame-Options');
      return writeHead.apply(this, args);
    } as typeof writeHead;
    next();
  };
}

function registerViewEngine(app: express.Express, cache: boolean): void {
  // ejs 7 ignores options passed with the data, so the engine is registered with explicit options,
  // and every view is wrapped in views/layout.ejs unless it sets `layout: false`.
  const options = templateOptions(cache);
  const layoutPath = path.join(viewsDir(), 'layout.ejs');
  app.locals.renderedOnce = renderedOnce;
  // The voting feature sets its own for /entries (src/voting/routes.ts); elsewhere a view gets none.
  app.locals.voteButton = () => '';
  keepCompiledPartials(cache);
  app.engine('ejs', (file: string, data: object, cb: (err: unknown, html?: string) => void) => {
    const locals = data as Record<string, unknown>;
    const render = () =>
      ejs.renderFile(file, locals, { ...options, filename: file }, (err, body) => {
        if (err) return cb(err);
        if (locals.layout === false) return cb(null, body);
        ejs.renderFile(layoutPath, { ...locals, body }, { ...options, filename: layoutPath }, cb);
      });
    // Rendering is synchronous: past the turn's budget, in the next turn (src/turns.ts).
    inTurnWithBudget(render);
  });
}

export type { Request };
