import { defineMessages } from '../i18n';

export const adminMessages = defineMessages({
  sv: {
    'admin.title': 'Administration',
    'admin.intro': 'Här förbereder och driver du Årets misstag: omgångar, granskning, jury, prisutdelning och statistik.',
    'admin.noSections': 'Det finns inga administrationsdelar ännu.',
  },
  en: {
    'admin.title': 'Administration',
    'admin.intro': 'Here you prepare and run Mistake of the Year: editions, moderation, jury, ceremony and statistics.',
    'admin.noSections': 'There are no administration sections yet.',
  },
});
