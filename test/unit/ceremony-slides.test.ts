// The running order of the ceremony (C1, C8): a neutral order of the finalists, the winner's and the
// citation's slides last, and texts no slide can hold split into slides of their own.
import { buildSlides, neutralOrder, placeholderResult, splitText, type LockedResult, type ResultEntry } from '../../src/ceremony/service';

const entry = (id: number, title: string, lesson = 'En kort lärdom.'): ResultEntry => ({ id, title, lesson, changes: '', teamName: null, department: 'Avdelningen', imageAttachmentId: null, names: [] });

const result = (finalists: ResultEntry[], winnerId: number, motivation = 'Kort motivering.'): LockedResult => ({ editionId: 1, winnerId, motivation, lockedAt: new Date(0), finalists });

describe('the running order', () => {
  test('when the chair ranked the winner first, then the finalists are still shown alphabetically (å, ä, ö last)', () => {
    const slides = buildSlides(result([entry(3, 'Östra hamnen'), entry(1, 'Ärendet'), entry(2, 'Bygglovet'), entry(4, 'Appen')], 3), []);
    const titles = slides.filter((s) => s.kind === 'finalist').map((s) => (s.kind === 'finalist' ? s.entry.title : ''));
    expect(titles).toEqual(['Appen', 'Bygglovet', 'Ärendet', 'Östra hamnen']);
    expect(neutralOrder([entry(2, 'b'), entry(1, 'B')]).map((e) => e.id)).toEqual([1, 2]); // a tie: by id, stable
  });

  test('when the result is built, then the drumroll, the winner and the citation end the show, each with a key of its own', () => {
    const slides = buildSlides(result([entry(1, 'A'), entry(2, 'B')], 2, 'Juryns ord.'), []);
    expect(slides.map((s) => s.key)).toEqual(['title', 'idea', 'finalist-1', 'finalist-2', 'live', 'drumroll', 'winner', 'citation']);
    const citation = slides[slides.length - 1];
    expect(citation.kind === 'citation' && citation.motivation).toBe('Juryns ord.');
  });

  test('when a lesson is too long for one slide, then it is split at sentence ends into slides that together hold every word', () => {
    const lesson = 'Vi frågade användarna först och lärde oss mycket av det. '.repeat(80).trim();
    const slides = buildSlides(result([entry(1, 'Lång lärdom', lesson)], 1), []).filter((s) => s.kind === 'finalist');
    expect(slides.length).toBeGreaterThan(1);
    expect(slides.map((s) => s.key)).toEqual(slides.map((_, i) => (i === 0 ? 'finalist-1' : `finalist-1-${i + 1}`)));
    const texts = slides.map((s) => (s.kind === 'finalist' ? s.entry.lesson : ''));
    expect(texts[0].endsWith('det. …')).toBe(true);
    expect(texts[1].startsWith('… Vi')).toBe(true);
    const words = (t: string) => t.replace(/…/g, ' ').split(/\s+/).filter(Boolean);
    expect(texts.flatMap(words)).toEqual(words(lesson));
  });

  test('when the show is rehearsed, then the placeholder entries can never be mistaken for real ones', () => {
    const placeholders = placeholderResult(7, { title: (n) => `Exempel ${n}`, lesson: 'L', department: 'D', name: (n) => `Kollega ${n}`, motivation: 'M' }, new Date(0));
    expect(placeholders.finalists.every((f) => f.id < 0)).toBe(true);
    expect(placeholders.finalists.map((f) => f.names)).toEqual([['Kollega 1', 'Kollega 2'], ['Kollega 3', 'Kollega 4'], ['Kollega 5', 'Kollega 6']]);
  });

  test('when one sentence is longer than a part, then it is split at word ends and nothing is lost', () => {
    const text = Array.from({ length: 300 }, (_, i) => `ord${i}`).join(' ');
    const parts = splitText(text, 200);
    expect(parts.every((p) => p.length <= 200)).toBe(true);
    expect(parts.join(' ').split(/\s+/)).toEqual(text.split(' '));
  });
});
