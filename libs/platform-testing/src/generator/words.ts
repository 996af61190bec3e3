/**
 * Word lists for company and person names, written for this generator. Each country has its legal
 * forms, places, surnames and first names, and a few local trade words beside the English ones.
 */
export interface CountryProfile {
  code: string;
  currency: string;
  tld: string;
  /** Legal forms as companies usually write them, most common first. */
  legalForms: readonly string[];
  places: readonly string[];
  surnames: readonly string[];
  firstNames: readonly string[];
  /** Trade words in the local language, used beside the English ones. */
  localTrades: readonly string[];
}

const split = (words: string): string[] => words.split('|');

export const COUNTRIES: readonly CountryProfile[] = [
  {
    code: 'US',
    currency: 'USD',
    tld: 'com',
    legalForms: ['LLC', 'Inc.', 'Corp.', 'Co.', 'LLP', 'PC'],
    places: split('Riverside|Lakewood|Fairview|Springfield|Georgetown|Franklin|Cedar Rapids|Boulder|Tacoma|Savannah|Asheville|Madison|Fort Collins|Bay Area|Tri-County|Great Plains|Hudson Valley|Gulf Coast|Pacific|Midwest'),
    surnames: split('Miller|Johnson|Carter|Reyes|Whitaker|Donovan|Patel|Nguyen|Brooks|Sullivan|Hayes|Kowalski|Bennett|Ramirez|Foster|Griffin|Lawson|Harper|Coleman|Fischer|Delgado|Warren|Porter|McAllister|Vaughn|Bishop|Holloway|Chen|Larsen|Ortega'),
    firstNames: split('James|Mary|Robert|Linda|Michael|Jennifer|David|Susan|Daniel|Karen|Kevin|Ashley|Brian|Emily|Jason|Megan|Tyler|Rachel|Marcus|Olivia|Carlos|Sofia|Andre|Hannah|Priya|Ethan|Grace|Noah|Chloe|Luis'),
    localTrades: [],
  },
  {
    code: 'GB',
    currency: 'GBP',
    tld: 'co.uk',
    legalForms: ['Ltd', 'Limited', 'LLP', 'PLC'],
    places: split('Thames Valley|Cotswold|Pennine|Yorkshire|Kentish|Solent|Mersey|Tyneside|Chiltern|Severn|Cheshire|Wessex|Highland|Norfolk|Cambridge|Bristol|Leeds|Sheffield|Brighton|Exeter'),
    surnames: split('Thompson|Walker|Wright|Hughes|Edwards|Turner|Ashworth|Pemberton|Fairclough|Hargreaves|Whitfield|Oakley|Barrington|Cartwright|Holt|Lambert|Pritchard|Radcliffe|Sinclair|Townsend|Ellis|Marsh|Fletcher|Dawson|Kaur|Ahmed|Clarke|Jenkins|Morgan|Shaw'),
    firstNames: split('Oliver|Amelia|Harry|Isla|George|Ava|Jack|Emily|Charlie|Sophie|Thomas|Lily|William|Grace|Alfie|Freya|Oscar|Evie|Henry|Poppy|Arjun|Zara|Callum|Niamh|Rhys|Eleanor|Finley|Imogen|Theo|Harriet'),
    localTrades: split('Joinery|Chartered Surveyors|Estate Agents|Solicitors'),
  },
  {
    code: 'DE',
    currency: 'EUR',
    tld: 'de',
    legalForms: ['GmbH', 'GmbH & Co. KG', 'AG', 'e.K.', 'UG (haftungsbeschränkt)', 'KG'],
    places: split('Rhein-Main|Bodensee|Schwarzwald|Allgäu|Nordheide|Elbtal|Mosel|Ruhr|Taunus|Spessart|Harz|Hanse|Franken|Lausitz|Saar|München|Köln|Hamburg|Leipzig|Stuttgart'),
    surnames: split('Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|Koch|Richter|Klein|Wolf|Schröder|Neumann|Schwarz|Zimmermann|Braun|Krüger|Hartmann|Lange|Werner|Krause|Lehmann|Köhler|Brandt|Vogel|Jäger|Günther'),
    firstNames: split('Lukas|Anna|Jonas|Lea|Felix|Lena|Maximilian|Laura|Leon|Julia|Paul|Sarah|Tim|Lisa|Jan|Katharina|Niklas|Johanna|Florian|Marie|Tobias|Sophie|Stefan|Nina|Matthias|Jana|Sebastian|Franziska|Moritz|Hannah'),
    localTrades: split('Bau|Elektrotechnik|Steuerberatung|Maschinenbau|Logistik|Immobilien|Haustechnik|Metallbau|Zahntechnik|Sanitär'),
  },
  {
    code: 'NL',
    currency: 'EUR',
    tld: 'nl',
    legalForms: ['B.V.', 'N.V.', 'V.O.F.'],
    places: split('Randstad|Veluwe|Brabant|Twente|Zeeland|Drenthe|Westland|Achterhoek|Limburg|Friesland|Utrecht|Haarlem|Delft|Leiden|Zwolle'),
    surnames: split('de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf|van der Meer'),
    firstNames: split('Daan|Emma|Sem|Julia|Lucas|Mila|Levi|Tess|Finn|Sophie|Luuk|Zoë|Milan|Sara|Bram|Anna|Thijs|Eva|Jesse|Noor|Ruben|Lotte|Sanne|Joost|Femke'),
    localTrades: split('Bouw|Installatietechniek|Advies|Transport|Accountants|Schilders|Hoveniers'),
  },
  {
    code: 'FR',
    currency: 'EUR',
    tld: 'fr',
    legalForms: ['SAS', 'SARL', 'S.A.', 'SASU', 'EURL'],
    places: split('Rhône-Alpes|Provence|Bretagne|Normandie|Alsace|Loire|Aquitaine|Picardie|Savoie|Occitanie|Lyon|Nantes|Lille|Bordeaux|Grenoble'),
    surnames: split('Martin|Bernard|Dubois|Thomas|Robert|Richard|Petit|Durand|Leroy|Moreau|Simon|Laurent|Lefèvre|Michel|Garcia|David|Bertrand|Roux|Vincent|Fournier|Morel|Girard|André|Mercier|Dupont'),
    firstNames: split('Gabriel|Louise|Léo|Jade|Raphaël|Emma|Arthur|Alice|Louis|Chloé|Hugo|Léa|Jules|Manon|Lucas|Camille|Adam|Inès|Nathan|Zoé|Théo|Juliette|Mathis|Clara|Antoine'),
    localTrades: split('Conseil|Transports|Bâtiment|Informatique|Expertise Comptable|Menuiserie'),
  },
  {
    code: 'ES',
    currency: 'EUR',
    tld: 'es',
    legalForms: ['S.L.', 'S.A.', 'S.L.U.', 'S.Coop.'],
    places: split('Levante|Cantábrico|Mediterráneo|Castilla|Andalucía|Galicia|Aragón|Navarra|Mallorca|Canarias|Valencia|Sevilla|Bilbao|Málaga|Zaragoza'),
    surnames: split('García|Fernández|González|Rodríguez|López|Martínez|Sánchez|Pérez|Gómez|Martín|Jiménez|Ruiz|Hernández|Díaz|Moreno|Muñoz|Álvarez|Romero|Navarro|Torres|Domínguez|Vázquez|Ramos|Gil|Serrano'),
    firstNames: split('Hugo|Lucía|Martín|Sofía|Pablo|María|Daniel|Martina|Alejandro|Paula|Álvaro|Julia|Adrián|Valeria|Diego|Carmen|Javier|Elena|Sergio|Laura|Marcos|Irene|Raúl|Alba|Jorge'),
    localTrades: split('Construcciones|Asesores|Transportes|Ingeniería|Gestoría|Reformas'),
  },
  {
    code: 'AU',
    currency: 'AUD',
    tld: 'com.au',
    legalForms: ['Pty Ltd', 'Pty. Ltd.', 'Pty Limited', 'Ltd'],
    places: split('Harbourside|Coastal|Outback|Sunshine Coast|Gold Coast|Hunter Valley|Barossa|Yarra|Swan River|Brisbane|Perth|Adelaide|Hobart|Darwin|Geelong|Illawarra|Riverina|Gippsland|Fremantle|Canberra'),
    surnames: split('Smith|Jones|Williams|Brown|Wilson|Taylor|Anderson|White|Martin|Thompson|Kelly|Ryan|Campbell|Mitchell|Robinson|Walsh|Murphy|OConnor|Nguyen|Singh|Doyle|Fraser|Gallagher|Hamilton|Kennedy'),
    firstNames: split('Jack|Charlotte|William|Olivia|Noah|Mia|Thomas|Amelia|Lachlan|Isla|Cooper|Ruby|Riley|Matilda|Harrison|Chloe|Archie|Zoe|Liam|Sienna|Hamish|Georgia|Flynn|Tahlia|Angus'),
    localTrades: split('Sparkies|Tradies|Earthmoving'),
  },
  {
    code: 'CA',
    currency: 'CAD',
    tld: 'ca',
    legalForms: ['Inc.', 'Ltd.', 'Corp.', 'ULC'],
    places: split('Maple Ridge|Okanagan|Fraser Valley|Laurentian|Maritime|Prairie|Muskoka|Niagara|Kootenay|Cariboo|Halifax|Calgary|Ottawa|Winnipeg|Victoria'),
    surnames: split('Tremblay|Gagnon|Roy|Côté|Bouchard|Gauthier|Morin|Lavoie|Fortin|Gagné|MacDonald|Campbell|Stewart|Fraser|Grant|MacLeod|Bergeron|Leblanc|Pelletier|Chan|Wong|Singh|Brar|Lee|Kim'),
    firstNames: split('Liam|Olivia|Noah|Emma|William|Charlotte|Benjamin|Ava|Lucas|Amelia|Jacob|Chloé|Félix|Léa|Samuel|Maya|Owen|Zoé|Nathan|Avery|Mathieu|Gabrielle|Ryan|Jasmine|Xavier'),
    localTrades: split('Déneigement|Construction Inc'),
  },
];

/** Trades and industries, English. */
export const TRADES = split(
  'Dental|Logistics|Consulting|Engineering|Architects|Accounting|Legal|Construction|Plumbing|Electrical|Veterinary|Marketing|Property|Insurance|Healthcare|Manufacturing|Freight|Printing|Landscaping|Catering|Design|Software|Physiotherapy|Pharmacy|Optometry|Roofing|Auto Repair|Realty|Wealth Management|Imaging|Surveying|Recruitment|Hospitality|Travel|Energy|Solar|Packaging|Foods|Brewing|Textiles|Orthodontics|Interiors|Media|Analytics|Security|Facilities|Dermatology|Tax Advisors|Furniture|Pet Care',
);

/** Words after the trade: "… Dental Group". */
export const COLLECTIVES = split('Group|Partners|Services|Solutions|Associates|Holdings|Systems|Company|Clinic|Studio|Labs|International|Management|Technologies|Enterprises|Industries');

/** Halves of coined names: North + wind. */
export const COINED_HEADS = split('North|Blue|Silver|Green|Oak|Pine|Iron|Bright|Clear|Summit|Harbor|River|Stone|Red|Cedar|Maple|Eagle|Falcon|Apex|Crest|Lake|Sun|West|East|Golden|Granite|Willow|Copper|Aspen|Crown|Fox|Bay|High|Star|Wave');
export const COINED_TAILS = split('wind|field|bridge|point|gate|view|wood|stone|ridge|brook|line|works|port|star|side|vale|ford|well|light|way|crest|haven|rock|mark');

/** Two-word brand openings: "Blue Harbor …". */
export const ADJECTIVES = split('Blue|Golden|Silver|Prime|True|Bright|Swift|Evergreen|Northern|Pacific|Atlantic|Summit|Pioneer|Keystone|Liberty|Heritage|Vista|Horizon|Cornerstone|Unity');
export const NOUNS = split('Harbor|Peak|Valley|Oak|River|Bridge|Lantern|Compass|Anchor|Beacon|Meadow|Arrow|Forge|Orchard|Canyon|Harvest|Falcon|Lighthouse|Pine|Shield');

/** Abbreviations people type; used for noise and for ConnectWise variants. */
export const ABBREVIATIONS: readonly (readonly [string, string])[] = [
  ['International', 'Intl'],
  ['Services', 'Svcs'],
  ['Associates', 'Assoc.'],
  ['Company', 'Co'],
  ['Management', 'Mgmt'],
  ['Engineering', 'Eng.'],
  ['Technologies', 'Tech'],
  ['Solutions', 'Sol.'],
  ['Manufacturing', 'Mfg'],
  ['Construction', 'Constr.'],
  ['Enterprises', 'Ent.'],
  ['Industries', 'Ind.'],
  ['Holdings', 'Hldgs'],
  ['Accounting', 'Acctg'],
  ['Brothers', 'Bros'],
];

/** Other spellings of legal forms, for "legal form changed" variants. */
export const LEGAL_FORM_ALTERNATIVES: Readonly<Record<string, readonly string[]>> = {
  'Inc.': ['Inc', 'Incorporated', 'INC'],
  LLC: ['L.L.C.', 'Llc', 'LLC.'],
  'Corp.': ['Corp', 'Corporation'],
  'Co.': ['Co', 'Company'],
  LLP: ['L.L.P.'],
  PC: ['P.C.'],
  Ltd: ['Ltd.', 'Limited', 'LTD'],
  'Ltd.': ['Ltd', 'Limited'],
  Limited: ['Ltd', 'Ltd.'],
  PLC: ['plc', 'Public Limited Company'],
  GmbH: ['Gmbh', 'G.m.b.H.', 'GMBH'],
  'GmbH & Co. KG': ['GmbH & Co KG', 'GmbH u. Co. KG'],
  AG: ['A.G.'],
  'e.K.': ['eK', 'e. K.'],
  'UG (haftungsbeschränkt)': ['UG', 'UG (haftungsbeschraenkt)'],
  KG: ['K.G.'],
  'B.V.': ['BV', 'B.V'],
  'N.V.': ['NV'],
  'V.O.F.': ['VOF', 'vof'],
  SAS: ['S.A.S.'],
  SARL: ['S.A.R.L.', 'Sàrl'],
  'S.A.': ['SA', 'S.A'],
  SASU: ['S.A.S.U.'],
  EURL: ['E.U.R.L.'],
  'S.L.': ['SL', 'S.L'],
  'S.L.U.': ['SLU'],
  'S.Coop.': ['S. Coop.'],
  'Pty Ltd': ['Pty. Ltd.', 'PTY LTD', 'Pty Limited'],
  'Pty. Ltd.': ['Pty Ltd', 'Pty. Limited'],
  'Pty Limited': ['Pty Ltd'],
  ULC: ['U.L.C.'],
};

/** Every legal form spelled by any country, longest first (so "GmbH & Co. KG" wins over "KG"). */
export const ALL_LEGAL_FORMS: readonly string[] = [
  ...new Set(COUNTRIES.flatMap((c) => c.legalForms)),
].sort((a, b) => b.length - a.length);

/** Partner (MSP) names. */
export const MSP_WORDS = split('IT|Tech|Cloud|Managed IT|Networks|Cyber|Digital|Data|Systems');
