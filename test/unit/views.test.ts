import { keepCompiledPartials, partial, renderedOnce } from '../../src/views';
import { translate } from '../../src/i18n';
import '../../src/voting/routes';

describe('renderedOnce', () => {
  test('when the same object is rendered again in the same variant, then the kept HTML is returned without rendering', () => {
    // Arrange
    const entry = { title: 'Mötet' };
    const render = jest.fn(() => `<h2>${entry.title}</h2>`);
    // Act
    const first = renderedOnce(entry, 'sv', render);
    const second = renderedOnce(entry, 'sv', render);
    // Assert
    expect([first, second]).toEqual(['<h2>Mötet</h2>', '<h2>Mötet</h2>']);
    expect(render).toHaveBeenCalledTimes(1);
  });

  test('when another variant or a new object is rendered, then it is rendered anew', () => {
    // Arrange
    const old = { title: 'Mötet' };
    const renewed = { title: 'Mötet som flyttades' };
    renderedOnce(old, 'sv', () => 'sv: Mötet');
    // Act
    const english = renderedOnce(old, 'en', () => 'en: Mötet');
    const next = renderedOnce(renewed, 'sv', () => `sv: ${renewed.title}`);
    // Assert
    expect(english).toBe('en: Mötet');
    expect(next).toBe('sv: Mötet som flyttades');
    expect(renderedOnce(old, 'sv', () => 'not again')).toBe('sv: Mötet');
  });
});

describe('partial', () => {
  afterEach(() => keepCompiledPartials(false));

  test.each([false, true])('when a vote button is rendered with only its own locals (templates kept: %s), then it offers the vote with the reader\'s token', (keep) => {
    // Arrange
    keepCompiledPartials(keep);
    const voting = { editionId: 1, open: true, budget: 3, used: 0, votes: [], peoplesChoiceIds: [], count: () => null, hasVoted: () => false, isIneligible: () => false };
    const locals = { voting, votingReturnTo: '/entries', currentPath: '/entries', csrfToken: 'token-123', t: (key: string, params?: Record<string, string | number>) => translate('sv', key, params), fmt: {} };
    // Act
    // A page's first vote button also brings the script: a fresh page (voting) for each render.
    const html = [1, 2].map(() => partial('voting/_vote-button', { ...locals, voting: { ...voting }, entry: { id: 7, title: 'Mötet', status: 'published', editionId: 1 } }));
    // Assert
    expect(html[1]).toBe(html[0]);
    expect(html[0]).toContain('<input type="hidden" name="_csrf" value="token-123">');
    expect(html[0]).toContain('<input type="hidden" name="entry" value="7">');
    expect(html[0]).toContain('Rösta');
  });
});
