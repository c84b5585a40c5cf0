// The demo organisation's people and entries (SPEC §5), in Swedish as employees would write them.

export type DemoUser = { key: string; email: string; name: string; department: string; admin?: boolean };

export const DEMO_USERS: DemoUser[] = [
  { key: 'anna', email: 'anna@example.org', name: 'Anna Lindqvist', department: 'Skol- och fritidsförvaltningen' },
  { key: 'bo', email: 'bo@example.org', name: 'Bo Ekström', department: 'Stadsbyggnadsförvaltningen' },
  { key: 'cecilia', email: 'cecilia@example.org', name: 'Cecilia Nordin', department: 'Stadsledningsförvaltningen' },
  { key: 'david', email: 'david@example.org', name: 'David Holm', department: 'Socialförvaltningen' },
  { key: 'eva', email: 'eva@example.org', name: 'Eva Sjöberg', department: 'Vård- och omsorgsförvaltningen' },
  { key: 'admin', email: 'admin@example.org', name: 'Alva Admin', department: 'Stadsledningsförvaltningen', admin: true },
  { key: 'fatima', email: 'fatima@example.org', name: 'Fatima Haddad', department: 'Vård- och omsorgsförvaltningen' },
  { key: 'goran', email: 'goran@example.org', name: 'Göran Åberg', department: 'Fastighetsförvaltningen' },
  { key: 'hanna', email: 'hanna@example.org', name: 'Hanna Öst', department: 'Kulturförvaltningen' },
  { key: 'ivan', email: 'ivan@example.org', name: 'Ivan Petrović', department: 'Miljöförvaltningen' },
];

export type DemoEntry = {
  submitter: string;
  status: 'published' | 'in_moderation' | 'awaiting_consent';
  department: string;
  title: string;
  whatHappened: string;
  lesson: string;
  changes: string;
  teamName?: string;
  includesSelf: boolean;
  showSubmitter: boolean;
  /** Named colleagues (demo user keys) and their consent. */
  nominees?: Array<{ user: string; consent: 'given' | 'pending' }>;
};

export const CURRENT_ENTRIES: DemoEntry[] = [
  {
    submitter: 'anna',
    status: 'published',
    department: 'Skol- och fritidsförvaltningen',
    title: 'Appen som ingen förälder laddade ner',
    whatHappened:
      'Vi byggde en egen app för frånvaroanmälan i skolan. Den var snygg och testad av oss i projektgruppen, men efter ett halvår hade bara var tionde vårdnadshavare laddat ner den. De flesta ringde fortfarande till expeditionen.',
    lesson:
      'Vi hade testat appen på oss själva i stället för på dem som skulle använda den. Vi lärde oss att prata med vårdnadshavare redan innan vi skriver en rad kod, och att en enkel webbsida ofta räcker långt.',
    changes:
      'Nu börjar alla våra digitala projekt med tio samtal med användare. Frånvaroanmälan finns i dag som en webbsida i den plattform föräldrarna redan använder. Vi har berättat om lärdomen på två rektorsmöten.',
    teamName: 'Digitaliseringsgruppen skola',
    includesSelf: true,
    showSubmitter: true,
    nominees: [{ user: 'bo', consent: 'given' }],
  },
  {
    submitter: 'bo',
    status: 'published',
    department: 'Stadsbyggnadsförvaltningen',
    title: 'Bygglovsblanketten med 47 frågor',
    whatHappened:
      'För att slippa kompletteringar lade vi till fler och fler frågor i e-tjänsten för bygglov. Till slut hade den 47 frågor, och antalet ofullständiga ansökningar ökade i stället för att minska.',
    lesson:
      'Fler frågor gav inte bättre ansökningar. Sökande gav upp eller gissade. Vi lärde oss att mäta var folk fastnar och att fråga "behöver vi verkligen veta det här nu?" om varje fält.',
    changes:
      'E-tjänsten har i dag 19 frågor och visar bara det som gäller den sökandes ärende. Kompletteringarna har minskat med en tredjedel. Vi har visat arbetet för miljöförvaltningen, som gör samma sak med sina tillstånd.',
    teamName: 'Bygglovsenheten',
    includesSelf: true,
    showSubmitter: true,
  },
  {
    submitter: 'fatima',
    status: 'published',
    department: 'Vård- och omsorgsförvaltningen',
    title: 'Nattpatrullen som körde i cirklar',
    whatHappened:
      'Vi planerade hemtjänstens nattbesök efter adresslistan i verksamhetssystemet. Ingen hade märkt att listan sorterades i bokstavsordning på gatunamn. Personalen körde kors och tvärs genom staden varje natt.',
    lesson:
      'Det var personalen som visste att något var fel, men ingen hade frågat dem. Vi lärde oss att de som gör jobbet ska vara med när vi planerar det, och att systemets standardval inte alltid är det bästa.',
    changes:
      'Nattpatrullen planerar nu sina egna rutter tillsammans med planeraren varje månad. Körsträckan har minskat med nästan 30 procent och brukarna får besök närmare den tid de önskar.',
    teamName: 'Nattpatrullen',
    includesSelf: true,
    showSubmitter: false,
  },
  {
    submitter: 'goran',
    status: 'published',
    department: 'Fastighetsförvaltningen',
    title: 'Solcellerna på fel tak',
    whatHappened:
      'Vi satte upp solceller på en förskola som skulle renoveras två år senare. När taket byttes fick panelerna monteras ner och lagras, vilket kostade mer än de hade hunnit spara.',
    lesson:
      'Vi planerade energiåtgärder och underhåll i två olika listor. Lärdomen är att alla åtgärder på en byggnad måste ses tillsammans, i en gemensam plan för hela fastighetens livslängd.',
    changes:
      'Vi har en gemensam underhålls- och energiplan per byggnad. Innan något monteras på ett tak kontrollerar vi planerat underhåll tio år framåt.',
    includesSelf: true,
    showSubmitter: true,
  },
  {
    submitter: 'hanna',
    status: 'published',
    department: 'Kulturförvaltningen',
    title: 'Biblioteksevenemanget som krockade med Eid',
    whatHappened:
      'Vi bjöd in till en stor familjedag på biblioteket i Drottninghög och gjorde mycket reklam. Dagen sammanföll med Eid al-fitr och nästan inga familjer kom.',
    lesson:
      'Vi planerade för området utan att fråga dem som bor där. Vi lärde oss att samarbeta med föreningar och boende redan när vi väljer datum, och att ha en kalender över högtider i olika traditioner.',
    changes:
      'Vi har tagit fram en gemensam högtidskalender som nu används av hela kulturförvaltningen. Familjedagen gjordes om tillsammans med två föreningar och blev årets mest välbesökta.',
    teamName: 'Drottninghögs bibliotek',
    includesSelf: true,
    showSubmitter: true,
  },
  {
    submitter: 'ivan',
    status: 'published',
    department: 'Miljöförvaltningen',
    title: 'Tillsynsbrevet som skrämde i stället för att hjälpa',
    whatHappened:
      'Vi skickade ut ett informationsbrev till alla restauranger om nya regler för fettavskiljare. Brevet var skrivet på juridisk svenska med hänvisningar till paragrafer. Många trodde att de redan fått ett föreläggande och ringde oroliga.',
    lesson:
      'Vi lärde oss att det vi skriver ska förstås av mottagaren, inte bara vara juridiskt korrekt. Klarspråk är en del av myndighetsutövningen.',
    changes:
      'Alla våra utskick testas nu på två personer utanför förvaltningen innan de skickas. Vi har också ett kort brev på fem språk med en bild som visar vad som ska göras.',
    includesSelf: true,
    showSubmitter: true,
  },
  {
    submitter: 'david',
    status: 'published',
    department: 'Socialförvaltningen',
    title: 'Väntrummet där ingen ville vänta',
    whatHappened:
      'Vi byggde om receptionen på försörjningsstöd med glasväggar och nummerlappar för att öka säkerheten. Besökarna upplevde det som kallt och misstänksamt, och antalet hotfulla situationer ökade.',
    lesson:
      'Trygghet skapas av bemötande mer än av glas. Vi lärde oss att fråga besökarna hur de upplever våra lokaler och att mäta effekten av en förändring innan vi gör den överallt.',
    changes:
      'Receptionen har nu en öppen disk, en värd som möter besökarna och tydlig information om väntetid. Hotfulla situationer har minskat. Andra enheter har gjort studiebesök hos oss.',
    teamName: 'Mottagningen, försörjningsstöd',
    includesSelf: false,
    showSubmitter: true,
  },
  {
    submitter: 'anna',
    status: 'published',
    department: 'Skol- och fritidsförvaltningen',
    title: 'Läxhjälpen som bara nådde dem som redan klarade sig',
    whatHappened:
      'Vi startade läxhjälp efter skoltid och bjöd in alla elever via lärplattformen. Det kom många, men nästan bara elever som redan hade höga betyg.',
    lesson:
      'En öppen inbjudan är inte detsamma som ett erbjudande till alla. Vi lärde oss att de elever som behöver mest stöd behöver en personlig inbjudan och en vuxen de känner.',
    changes:
      'Mentorerna bjuder nu in elever personligen och läxhjälpen finns på fritidsgården där eleverna redan är. Fler elever med behov av stöd kommer varje vecka.',
    teamName: 'Fritidsgården Planet',
    includesSelf: false,
    showSubmitter: true,
  },
  {
    submitter: 'bo',
    status: 'published',
    department: 'Stadsbyggnadsförvaltningen',
    title: 'Cykelbanan som slutade i en häck',
    whatHappened:
      'Vi ritade en ny cykelbana efter kartan och byggde den i två etapper. Den andra etappen sköts upp, och i ett år slutade den nya cykelbanan rakt in i en häck.',
    lesson:
      'Vi hade planerat för det färdiga resultatet men inte för hur det skulle fungera under tiden. Lärdomen är att varje etapp ska vara användbar och säker på egen hand.',
    changes:
      'Varje etapp i våra gatuprojekt granskas nu som om den vore den sista. Cykelbanan fick en tillfällig anslutning inom en månad efter att en invånare tipsade oss.',
    includesSelf: true,
    showSubmitter: false,
  },
  {
    submitter: 'eva',
    status: 'published',
    department: 'Vård- och omsorgsförvaltningen',
    title: 'Surfplattorna som blev liggande i lådan',
    whatHappened:
      'Alla boenden fick surfplattor så att de boende kunde ringa videosamtal till sina anhöriga. Ett år senare låg de flesta oanvända i en låda, urladdade.',
    lesson:
      'Att dela ut teknik är inte att införa den. Vi lärde oss att det behövs en ansvarig på varje boende, tid för att lära sig och en enkel rutin för laddning.',
    changes:
      'Varje boende har nu ett digitalt ombud med avsatt tid. Surfplattorna används varje dag och anhöriga kan boka samtal själva.',
    teamName: 'Digitala ombud inom äldreomsorgen',
    includesSelf: true,
    showSubmitter: true,
  },
  {
    submitter: 'goran',
    status: 'published',
    department: 'Fastighetsförvaltningen',
    title: 'Felanmälan som gick till en nedlagd brevlåda',
    whatHappened:
      'När vi bytte system för felanmälan glömde vi att ändra e-postadressen på skyltarna i våra lokaler. I tre månader gick anmälningar om trasiga lås och läckor till en brevlåda som ingen läste.',
    lesson:
      'Ett systembyte är också ett byte av alla vägar in. Vi lärde oss att kartlägga var en gammal kontaktväg finns innan vi stänger den, och att låta gamla adresser svara automatiskt.',
    changes:
      'Vi har en checklista för systembyten som nu används av hela stadens IT-avdelning. Gamla adresser stängs aldrig utan ett automatiskt svar som visar vägen rätt.',
    includesSelf: true,
    showSubmitter: true,
  },
  {
    submitter: 'fatima',
    status: 'published',
    department: 'Vård- och omsorgsförvaltningen',
    title: 'Matsedeln som ingen hade frågat om',
    whatHappened:
      'Vi tog fram en ny, näringsriktig matsedel för hemtjänstens matleveranser tillsammans med en dietist. Efter en månad hade många brukare tackat nej till maten.',
    lesson:
      'Vi glömde fråga dem som skulle äta maten. Lärdomen är att även det som är bra för någon måste vara något de vill ha.',
    changes:
      'Brukarna röstar nu varje kvartal om vilka rätter som ska finnas, och dietisten ser till att valen är näringsriktiga. Nästan alla har tackat ja igen.',
    teamName: 'Hemtjänsten Centrum',
    includesSelf: true,
    showSubmitter: true,
  },
  {
    submitter: 'hanna',
    status: 'in_moderation',
    department: 'Kulturförvaltningen',
    title: 'Utställningen som ingen i rullstol kunde se',
    whatHappened:
      'Vi hängde en fotoutställning i foajén på en höjd som passade stående besökare. En besökare i rullstol påpekade att hon bara såg ramarnas underkanter.',
    lesson:
      'Vi tänkte på tillgänglighet för lokalen men inte för innehållet. Vi lärde oss att testa varje utställning från olika höjder och med olika sinnen.',
    changes: 'Alla utställningar hängs nu lägre och har texter som går att lyssna på.',
    includesSelf: true,
    showSubmitter: true,
  },
  {
    submitter: 'ivan',
    status: 'in_moderation',
    department: 'Miljöförvaltningen',
    title: 'Mätaren som mätte sin egen värme',
    whatHappened:
      'Vi satte upp luftmätare i centrum och fick oroväckande höga värden. Det visade sig att mätarna satt ovanför ett ventilationsutsläpp.',
    lesson: 'Vi lärde oss att alltid göra en kontrollmätning innan vi drar slutsatser och att dokumentera var och hur mätare placeras.',
    changes: 'Vi har en checklista för placering av mätare och gör alltid en kontrollmätning under den första veckan.',
    includesSelf: true,
    showSubmitter: true,
  },
  {
    submitter: 'bo',
    status: 'awaiting_consent',
    department: 'Stadsbyggnadsförvaltningen',
    title: 'Samrådsmötet klockan tio en tisdag',
    whatHappened:
      'Vi höll samråd om en ny detaljplan klockan tio en tisdag förmiddag. De som kom var pensionärer, medan de barnfamiljer som planen mest berörde var på jobbet.',
    lesson: 'Vi lärde oss att välja tid och plats efter dem vi vill nå, och att samråd också kan ske digitalt och på plats där folk redan är.',
    changes: 'Samråd hålls nu alltid både kvällstid och digitalt, och vi har stått på lekplatser med våra skisser.',
    includesSelf: true,
    showSubmitter: true,
    nominees: [{ user: 'anna', consent: 'pending' }],
  },
];

export const PREVIOUS_ENTRIES: DemoEntry[] = [
  {
    submitter: 'david',
    status: 'published',
    department: 'Socialförvaltningen',
    title: 'Beslutsbrevet som ingen förstod',
    whatHappened:
      'Våra beslut om försörjningsstöd var skrivna så att många mottagare inte förstod om de fått ja eller nej. Vi fick hundratals samtal varje månad med frågan "vad betyder det här?".',
    lesson:
      'Ett beslut som inte förstås är inte färdigt. Vi lärde oss att skriva beslutet med mottagaren som läsare och att börja med svaret.',
    changes:
      'Alla beslut börjar nu med en mening i klarspråk: "Du får…" eller "Du får inte…". Samtalen har halverats och mallen används nu av hela förvaltningen.',
    teamName: 'Försörjningsstöd Nord',
    includesSelf: true,
    showSubmitter: true,
  },
  {
    submitter: 'anna',
    status: 'published',
    department: 'Skol- och fritidsförvaltningen',
    title: 'Skolskjutsen som väntade på fel sida',
    whatHappened:
      'Efter en ombyggnad av skolans entré stannade skolskjutsen på den gamla hållplatsen. Eleverna fick gå över en trafikerad väg i två veckor innan någon reagerade.',
    lesson: 'Ändringar i den fysiska miljön måste nå alla som påverkas, även externa leverantörer. Vi lärde oss att göra en lista över vilka som berörs innan vi bygger om.',
    changes: 'Vid varje ombyggnad skickar vi nu information till transportörer, räddningstjänst och hemtjänst, och gör ett platsbesök tillsammans.',
    includesSelf: true,
    showSubmitter: true,
  },
  {
    submitter: 'eva',
    status: 'published',
    department: 'Vård- och omsorgsförvaltningen',
    title: 'Larmet som ringde i tomma rum',
    whatHappened:
      'Vi installerade nya trygghetslarm men glömde att uppdatera rumsnumren i systemet. Larmen visade fel rum och personalen sprang till tomma rum.',
    lesson: 'Vi lärde oss att testa hela kedjan från knapp till personal innan ett nytt system tas i bruk, tillsammans med dem som ska använda det.',
    changes: 'Varje nytt larm testas nu i verklig miljö av personalen innan det tas i bruk, och testet dokumenteras.',
    teamName: 'Boendet Solrosen',
    includesSelf: true,
    showSubmitter: true,
  },
  {
    submitter: 'goran',
    status: 'published',
    department: 'Fastighetsförvaltningen',
    title: 'Den automatiska belysningen som släckte mitt i lektionen',
    whatHappened:
      'För att spara energi installerade vi rörelsesensorer i klassrummen. Sensorerna släckte ljuset när eleverna satt stilla och skrev prov.',
    lesson: 'Energisparande får inte ske på bekostnad av verksamheten. Vi lärde oss att pilottesta i ett rum tillsammans med dem som använder det.',
    changes: 'Nya tekniska lösningar prövas nu alltid i ett pilotrum i en månad, och lärarna kan själva justera tiden.',
    includesSelf: true,
    showSubmitter: true,
  },
];
