// Microsoft Teams (SPEC R11): with TEAMS_WEBHOOK_URL set (a Teams Workflows "post to a channel when a
// webhook request is received" URL), an opened nomination or voting phase and the revealed winner are
// posted to the organisation's channel as an Adaptive Card, in DEFAULT_LOCALE, with a link back to
// PUBLIC_URL. Never in the way of a request: the handler queues the post and returns; a failed post is
// tried again with growing pauses, then logged.
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Events } from '../events';
import { defineMessages, registerMessages, translate, type Locale } from '../i18n';

registerMessages(
  defineMessages({
    sv: {
      'teams.nomination.heading': 'Nu kan du nominera till {title}',
      'teams.nomination.text': 'Har du eller en kollega lärt er något av ett misstag? Berätta om det, så kan fler lära sig av det.',
      'teams.nomination.action': 'Nominera',
      'teams.voting.heading': 'Nu kan du rösta i {title}',
      'teams.voting.text': 'Läs bidragen och rösta på de lärdomar som du tycker betyder mest.',
      'teams.voting.action': 'Läs och rösta',
      'teams.winner.heading': '”{winner}” vinner {title}',
      'teams.winner.text': 'Juryn har utsett vinnaren. Läs om misstaget och vad vi lärde oss av det.',
      'teams.winner.action': 'Läs bidraget',
    },
    en: {
      'teams.nomination.heading': 'You can now nominate for {title}',
      'teams.nomination.text': 'Have you or a colleague learned something from a mistake? Tell us about it so more people can learn from it.',
      'teams.nomination.action': 'Nominate',
      'teams.voting.heading': 'You can now vote in {title}',
      'teams.voting.text': 'Read the entries and vote for the lessons you think matter most.',
      'teams.voting.action': 'Read and vote',
      'teams.winner.heading': '“{winner}” wins {title}',
      'teams.winner.text': 'The jury has chosen the winner. Read about the mistake and what we learned from it.',
      'teams.winner.action': 'Read the entry',
    },
  }),
);

export type TeamsDeps = { config: Pick<Config, 'teamsWebhookUrl' | 'defaultLocale' | 'publicUrl'>; logger: Pick<Logger, 'warn' | 'error'> };

/** Pauses before the 2nd, 3rd, … attempt: 5 s, 30 s, 2 min, 10 min. */
export const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000];

/** The Teams Workflows message: one Adaptive Card with a heading, a line of text and a link. */
export function adaptiveCard(locale: Locale, card: { heading: string; text: string; action: string; url: string }) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          lang: locale,
          body: [
            { type: 'TextBlock', text: card.heading, weight: 'Bolder', size: 'Large', wrap: true },
            { type: 'TextBlock', text: card.text, wrap: true },
          ],
          actions: [{ type: 'Action.OpenUrl', title: card.action, url: card.url }],
        },
      },
    ],
  };
}

export function teamsSubscriber(events: Events, deps: TeamsDeps, options: { retryDelaysMs?: number[] } = {}): void {
  const webhook = deps.config.teamsWebhookUrl;
  if (!webhook) return;
  const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  const locale = deps.config.defaultLocale;
  const t = (key: string, params?: Record<string, string>) => translate(locale, key, params);
  const link = (path: string) => deps.config.publicUrl + path;

  const attempt = async (body: string, n: number, what: string): Promise<void> => {
    let problem: string;
    try {
      const res = await fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(15_000) });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return;
      problem = `status ${res.status}`;
      // A refused card (400, 401, 404 …) will be refused again; a busy or failing Teams may recover.
      if (res.status < 500 && res.status !== 408 && res.status !== 429) {
        deps.logger.error({ status: res.status, event: what }, 'Teams refused the post (check TEAMS_WEBHOOK_URL)');
        return;
      }
    } catch (err) {
      problem = (err as Error).message;
    }
    if (n >= delays.length) {
      deps.logger.error({ problem, event: what, attempts: n + 1 }, 'Teams post failed; giving up');
      return;
    }
    deps.logger.warn({ problem, event: what, attempt: n + 1 }, 'Teams post failed; trying again');
    setTimeout(() => void attempt(body, n + 1, what), delays[n]).unref();
  };

  const post = (what: string, card: Parameters<typeof adaptiveCard>[1]) => {
    void attempt(JSON.stringify(adaptiveCard(locale, card)), 0, what);
  };

  events.on('phase.opened', (e) => {
    const path = e.phase === 'nomination' ? '/nominate' : '/entries';
    post('phase.opened', { heading: t(`teams.${e.phase}.heading`, { title: e.title }), text: t(`teams.${e.phase}.text`), action: t(`teams.${e.phase}.action`), url: link(path) });
  });

  events.on('winner.revealed', (e) => {
    post('winner.revealed', {
      heading: t('teams.winner.heading', { winner: e.winner.title, title: e.title }),
      text: t('teams.winner.text'),
      action: t('teams.winner.action'),
      url: link(`/entries/${e.winner.nominationId}`),
    });
  });
}
