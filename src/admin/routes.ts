import { Router } from 'express';
import type { AppDeps } from '../app';
import { requireRole } from '../auth/guards';
import { registerMessages } from '../i18n';
import { adminMessages } from './messages';
import { ADMIN_SECTIONS } from './sections';

registerMessages(adminMessages);

export function adminRoutes(_deps: AppDeps): Router {
  const router = Router();
  router.get('/admin', requireRole('admin'), (req, res) => {
    res.render('admin/index', { title: req.t('admin.title'), sections: ADMIN_SECTIONS });
  });
  return router;
}
