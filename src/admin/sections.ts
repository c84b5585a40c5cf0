// The admin hub lists one card per admin section. A feature that adds an admin page adds its entry here.
export type AdminSection = { href: string; titleKey: string; descriptionKey: string };

export const ADMIN_SECTIONS: AdminSection[] = [
  { href: '/admin/moderation', titleKey: 'moderation.title', descriptionKey: 'moderation.description' },
  { href: '/admin/editions', titleKey: 'editions.admin.cardTitle', descriptionKey: 'editions.admin.cardDescription' },
  { href: '/admin/jury', titleKey: 'admin.jury.section', descriptionKey: 'admin.jury.sectionText' },
  { href: '/admin/users', titleKey: 'admin.section.users', descriptionKey: 'admin.section.usersText' },
  { href: '/admin/audit', titleKey: 'admin.section.audit', descriptionKey: 'admin.section.auditText' },
  { href: '/admin/exports', titleKey: 'exports.section', descriptionKey: 'exports.sectionText' },
  { href: '/admin/cards', titleKey: 'cards.section', descriptionKey: 'cards.sectionText' },
];
