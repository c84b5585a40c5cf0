// Defaults for a new edition: Helsingborg's own criteria (SPEC J2) with a rubric for each level, and
// the city's administrations as the department list.

export type CriterionDefault = {
  key: string;
  nameSv: string;
  nameEn: string;
  descriptionSv: string;
  descriptionEn: string;
  weight: number;
  levels: Array<{ sv: string; en: string }>;
};

export const DEFAULT_CRITERIA: CriterionDefault[] = [
  {
    key: 'courage',
    nameSv: 'Mod',
    nameEn: 'Courage',
    descriptionSv: 'Hur modigt var det att pröva något nytt – och att berätta om det som inte gick som tänkt?',
    descriptionEn: 'How brave was it to try something new – and to tell about what did not go as planned?',
    weight: 1,
    levels: [
      { sv: 'Ett vardagligt försök med liten risk.', en: 'An everyday attempt with little risk.' },
      { sv: 'Ett litet steg utanför det invanda.', en: 'A small step outside the usual.' },
      { sv: 'Ett tydligt försök att göra på ett nytt sätt.', en: 'A clear attempt to do things a new way.' },
      { sv: 'Ett modigt försök som utmanade både arbetssätt och förväntningar.', en: 'A brave attempt that challenged both ways of working and expectations.' },
      { sv: 'Ett mycket modigt försök, och en öppenhet om misstaget som inspirerar andra.', en: 'A very brave attempt, and an openness about the mistake that inspires others.' },
    ],
  },
  {
    key: 'lesson',
    nameSv: 'Lärdom',
    nameEn: 'Lesson',
    descriptionSv: 'Vad lärde sig personen, gruppen eller arbetsplatsen – och vad gör de annorlunda nu?',
    descriptionEn: 'What did the person, group or workplace learn – and what do they do differently now?',
    weight: 1.5,
    levels: [
      { sv: 'Lärdomen är otydlig.', en: 'The lesson is unclear.' },
      { sv: 'En lärdom som främst gäller just den här situationen.', en: 'A lesson that mainly applies to this situation.' },
      { sv: 'En tydlig lärdom som har lett till en konkret förändring.', en: 'A clear lesson that has led to a concrete change.' },
      { sv: 'En viktig lärdom som har ändrat arbetssättet i hela gruppen.', en: 'An important lesson that has changed how the whole group works.' },
      { sv: 'En djup lärdom som har ändrat hur arbetsplatsen tänker och arbetar.', en: 'A deep lesson that has changed how the workplace thinks and works.' },
    ],
  },
  {
    key: 'spread',
    nameSv: 'Spridning',
    nameEn: 'Spread',
    descriptionSv: 'Hur sprids lärdomen, eller hur skulle den kunna spridas, till andra i organisationen?',
    descriptionEn: 'How does the lesson spread, or how could it spread, to others in the organisation?',
    weight: 1,
    levels: [
      { sv: 'Lärdomen stannar hos dem som var med.', en: 'The lesson stays with those who were there.' },
      { sv: 'Lärdomen har delats med närmaste kollegor.', en: 'The lesson has been shared with close colleagues.' },
      { sv: 'Lärdomen har spridits till andra enheter.', en: 'The lesson has spread to other units.' },
      { sv: 'Lärdomen används redan i andra förvaltningar.', en: 'The lesson is already used in other departments.' },
      { sv: 'Lärdomen kan förändra arbetet i hela organisationen och längre än så.', en: 'The lesson can change work across the whole organisation and beyond.' },
    ],
  },
  {
    key: 'challenge',
    nameSv: 'Utmaning',
    nameEn: 'Challenge',
    descriptionSv: 'Hur utmanar misstaget och lärdomen vårt vanliga sätt att arbeta?',
    descriptionEn: 'How do the mistake and the lesson challenge the way we usually work?',
    weight: 1,
    levels: [
      { sv: 'Bekräftar i stort sett hur vi redan arbetar.', en: 'Mostly confirms how we already work.' },
      { sv: 'Väcker en fråga om en rutin.', en: 'Raises a question about a routine.' },
      { sv: 'Ifrågasätter ett invant arbetssätt.', en: 'Questions an established way of working.' },
      { sv: 'Utmanar tydligt en norm eller ett system.', en: 'Clearly challenges a norm or a system.' },
      { sv: 'Vänder på hur vi ser på arbetet och våra invånare.', en: 'Turns around how we see our work and our residents.' },
    ],
  },
];

/**
 * General level texts for a criterion an admin adds in edition setup: shown as suggestions in the form
 * (to be rewritten for the criterion), and used when a form sends no level texts at all.
 */
export const DEFAULT_LEVELS: ReadonlyArray<{ sv: string; en: string }> = [
  { sv: 'Stämmer inte alls.', en: 'Does not match at all.' },
  { sv: 'Stämmer lite.', en: 'Matches a little.' },
  { sv: 'Stämmer ganska bra.', en: 'Matches fairly well.' },
  { sv: 'Stämmer bra.', en: 'Matches well.' },
  { sv: 'Stämmer mycket bra.', en: 'Matches very well.' },
];

export const DEFAULT_DEPARTMENTS = [
  'Stadsledningsförvaltningen',
  'Skol- och fritidsförvaltningen',
  'Socialförvaltningen',
  'Vård- och omsorgsförvaltningen',
  'Stadsbyggnadsförvaltningen',
  'Kulturförvaltningen',
  'Arbetsmarknadsförvaltningen',
  'Miljöförvaltningen',
  'Fastighetsförvaltningen',
];
