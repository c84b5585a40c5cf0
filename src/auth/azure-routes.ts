// /auth/azure (go to Microsoft) and /auth/callback (come back): Entra ID sign-in over the EntraSignIn
// interface of azure.ts. After the token checks out, the user is stored or refreshed from the claims
// and our own session is established (new session id, back to the deep link asked for).
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../deps';
import { registerMessages } from '../i18n';
import * as users from '../users/service';
import { signInLimiter } from '../http/rate-limit';
import { establishSession } from './session';
import type { EntraClaims, EntraSignIn, SignInFailure } from './azure';
import { azureMessages } from './azure-messages';

registerMessages(azureMessages);

const FAILURE_STATUS: Record<SignInFailure, number> = {
  cancelled: 401,
  providerError: 502,
  state: 400,
  wrongTenant: 403,
  expired: 401,
  invalidToken: 401,
  codeRefused: 502,
  unreachable: 503,
};

/** Admin by claim (A2): one of ADMIN_GROUP_IDS in the groups claim, or ADMIN_ROLE in the roles claim. */
export function isAdminByClaims(claims: Pick<EntraClaims, 'groups' | 'roles'>, policy: { adminGroupIds: string[]; adminRole?: string }): boolean {
  const groups = new Set(policy.adminGroupIds.map((g) => g.toLowerCase()));
  if (claims.groups.some((g) => groups.has(g.toLowerCase()))) return true;
  return Boolean(policy.adminRole && claims.roles.includes(policy.adminRole));
}

export function azureRoutes(deps: AppDeps, entra: EntraSignIn): Router {
  const router = Router();
  const { config, db } = deps;

  const renderFailure = async (req: Request, res: Response, reason: SignInFailure) => {
    const params = { org: config.orgName, app: req.t('app.name') };
    res.status(FAILURE_STATUS[reason]).render('auth/failed', {
      title: req.t(`azure.failed.${reason}.title`, params),
      message: req.t(`azure.failed.${reason}.text`, params),
      microsoftLogoutUrl: reason === 'wrongTenant' ? await entra.logoutUrl() : undefined,
    });
  };

  router.get('/auth/azure', signInLimiter(), async (req, res) => {
    const failure = await entra.start(req, res);
    if (failure) await renderFailure(req, res, failure);
  });

  router.get('/auth/callback', signInLimiter(), async (req, res) => {
    if (!req.query.code && !req.query.error) return res.redirect(303, '/auth/login');
    const result = await entra.finish(req, res);
    if (!result.ok) return renderFailure(req, res, result.reason);
    const { claims } = result;
    const user = await users.signInIdentity(
      db,
      { tenantId: claims.tenantId, objectId: claims.objectId, email: claims.email, name: claims.name, department: claims.department },
      { adminEmails: config.adminEmails, claimAdmin: isAdminByClaims(claims, config) },
      deps.now(),
    );
    const returnTo = await establishSession(req, user.id);
    res.redirect(303, returnTo);
  });

  return router;
}
