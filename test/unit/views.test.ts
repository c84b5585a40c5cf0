import { renderedOnce } from '../../src/views';

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
