/*
 * Short fictional wire-style reports for the browser tests. Places, names and figures are made up;
 * each report describes one attack in a different country, so their points lie far apart.
 */

/** A market bombing in Nigeria: 12 killed, 30 wounded, attributed by the police. */
export const MARKET_BOMBING = {
  id: 'e2e-market-bombing',
  title: 'Bomb kills 12 at Maiduguri market',
  published: '2024-03-12T10:00:00Z',
  url: 'https://news.example.org/2024/03/12/maiduguri-market',
  language: 'en',
  text:
    'MAIDUGURI, Nigeria, March 12 (Example Wire) — A bomb exploded at a crowded market in Maiduguri on Tuesday, ' +
    'killing 12 people and wounding 30 others, police said.\n\n' +
    'A police spokesman said the device had been hidden in a vegetable stall. Police blamed Boko Haram for the attack. ' +
    'No group has claimed responsibility.',
};

/** A shooting in Kenya, with a suspected (not claimed) perpetrator. */
export const CHURCH_SHOOTING = {
  id: 'e2e-church-shooting',
  title: 'Gunmen kill four worshippers in Kenyan coastal town',
  published: '2024-02-05T08:00:00Z',
  url: 'https://news.example.org/2024/02/05/lamu',
  language: 'en',
  text:
    'LAMU, Kenya, Feb 4 (Example Wire) — Gunmen opened fire on worshippers leaving a church in Lamu on Sunday, ' +
    'killing four people and wounding two, police said.\n\n' +
    'Police suspect al-Shabaab militants carried out the attack.',
};

/** A report whose text and title carry markup that must show as text and never run. */
export const HOSTILE_MARKUP = {
  id: 'e2e-hostile-markup',
  title: 'Blast in Peshawar <img src=x onerror="window.__xss=1">',
  published: '2024-01-20T07:00:00Z',
  url: 'javascript:window.__xss=1',
  language: 'en',
  text:
    'PESHAWAR, Pakistan, Jan 20 (Example Wire) — A bomb exploded near a police station in Peshawar on Saturday, ' +
    'killing three police officers, officials said.\n\n' +
    'A page shared online showed <img src=x onerror="window.__xss=1"> and <script>window.__xss=1</script> in place of a statement.',
};

/** An ambush near Bama, about 60 km from Maiduguri: at a country-wide zoom the two form a cluster. */
export const BAMA_AMBUSH = {
  id: 'e2e-bama-ambush',
  title: 'Militants ambush convoy near Bama',
  published: '2024-06-03T09:00:00Z',
  url: 'https://news.example.org/2024/06/03/bama',
  language: 'en',
  text:
    'BAMA, Nigeria, June 2 (Example Wire) — Gunmen ambushed a military convoy on the road outside Bama on Sunday, ' +
    'killing five soldiers, the army said.\n\n' +
    'Islamic State West Africa Province claimed responsibility for the attack in a statement.',
};

/** A kidnapping known only to its state: drawn as an area, never as a point. */
export const STATE_KIDNAPPING = {
  id: 'e2e-state-kidnapping',
  title: 'Gunmen abduct 20 villagers in Borno State',
  published: '2024-04-18T12:00:00Z',
  url: 'https://news.example.org/2024/04/18/borno-state',
  language: 'en',
  text:
    'Gunmen kidnapped 20 villagers in a raid in Borno State, Nigeria, on Wednesday, officials said. ' +
    'The officials did not say which village was attacked.',
};

/** A bombing a year before the others, so the dashboard has a previous period to compare with. */
export const KANO_BOMBING = {
  id: 'e2e-kano-bombing',
  title: 'Suicide bomber kills seven at Kano bus station',
  published: '2023-05-09T15:00:00Z',
  url: 'https://news.example.org/2023/05/09/kano',
  language: 'en',
  text:
    'KANO, Nigeria, May 9 (Example Wire) — A suicide bomber blew himself up at a crowded bus station in Kano on Tuesday, ' +
    'killing seven people and wounding 15, police said.\n\n' +
    'Police blamed Boko Haram for the bombing.',
};

/** Two reports of one hotel siege in Mogadishu, which the pipeline links into one incident. */
export const SIEGE_FIRST = {
  id: 'e2e-siege-first',
  title: 'Militants storm Mogadishu hotel, killing nine',
  published: '2024-07-14T18:00:00Z',
  url: 'https://news.example.org/2024/07/14/mogadishu-hotel',
  language: 'en',
  text:
    'MOGADISHU, Somalia, July 14 (Example Wire) — Militants stormed a hotel in Mogadishu on Sunday, ' +
    'killing nine people and wounding 20, police said.\n\nAl-Shabaab claimed responsibility for the attack.',
};

export const SIEGE_SECOND = {
  id: 'e2e-siege-second',
  title: 'Nine dead as gunmen attack hotel in Somali capital',
  published: '2024-07-15T06:00:00Z',
  url: 'https://news.example.org/2024/07/15/somali-capital-hotel',
  language: 'en',
  text:
    'MOGADISHU, Somalia, July 15 (Example Wire) — Gunmen attacked a hotel in Mogadishu on Sunday, ' +
    'killing nine people and wounding 20 others, officials said.\n\nAl-Shabaab said it carried out the attack.',
};
