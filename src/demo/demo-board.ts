/**
 * The demo board (`npm run demo`): fictional parties with fictional pledges, so the site can be
 * tried without touching a real party's name. Every party here is invented; none of them may
 * ever share a name or abbreviation with a real party.
 */
import type { Db } from '../db/client.ts';
import { parties } from '../db/schema.ts';
import { importInitialParties, type PartyEntry } from '../domain/parties.ts';
import type { Actor } from '../domain/actors.ts';
import { savePledge, type PledgeInput } from '../domain/pledges.ts';

export const DEMO_PARTIES: PartyEntry[] = [
  { slug: 'polderpartij', name: 'Polderpartij', abbreviation: 'PP', seats: 31, website: 'https://example.org/polderpartij' },
  { slug: 'zeewind', name: 'Zeewind', abbreviation: 'ZW', seats: 24, website: 'https://example.org/zeewind' },
  { slug: 'kompas', name: 'Kompas', abbreviation: 'KOM', seats: 19, website: 'https://example.org/kompas' },
  { slug: 'lindeboom', name: 'Lindeboombeweging', abbreviation: 'LBB', seats: 12, website: 'https://example.org/lindeboom' },
  { slug: 'brugpartij', name: 'Brugpartij', abbreviation: 'BRUG', seats: 7, website: 'https://example.org/brugpartij' },
  { slug: 'morgenrood', name: 'Morgenrood', abbreviation: 'MR', seats: 3, website: 'https://example.org/morgenrood' },
];

type DemoPledge = PledgeInput & { party: string; goal: number; by: string };

const programme = (party: string, page: number) => ({
  evidenceUrl: `https://example.org/${party}/verkiezingsprogramma.pdf`,
  evidencePage: page,
});

/** Goals are referred to by number so the demo follows whatever goals content/ defines. */
const DEMO_PLEDGES: DemoPledge[] = [
  {
    party: 'polderpartij',
    goal: 1,
    by: 'Anna de Vries',
    stance: 'committed',
    statement: 'Wij nemen deze doelstelling volledig over: techbedrijven worden verplicht misbruikmateriaal te detecteren, te verwijderen en te melden.',
    ...programme('polderpartij', 14),
  },
  {
    party: 'polderpartij',
    goal: 2,
    by: 'Anna de Vries',
    stance: 'committed',
    statement: 'Digitale weerbaarheid en relationele en seksuele vorming worden verplicht onderdeel van het curriculum.',
    ...programme('polderpartij', 22),
  },
  {
    party: 'polderpartij',
    goal: 3,
    by: 'Anna de Vries',
    stance: 'partial',
    statement: 'Wij steunen gespecialiseerde hulp, maar kiezen voor training van politie en jeugdzorg zonder nieuwe wettelijke verplichting.',
    ...programme('polderpartij', 23),
  },
  {
    party: 'polderpartij',
    goal: 4,
    by: 'Anna de Vries',
    stance: 'committed',
    statement: 'Wij trekken structureel extra geld uit voor maatschappelijke organisaties en voor ondersteuning van opvoeders.',
    ...programme('polderpartij', 41),
  },
  {
    party: 'zeewind',
    goal: 1,
    by: 'Youssef Amrani',
    stance: 'committed',
    statement: 'Nederlandse servers mogen geen veilige haven zijn voor seksueel kindermisbruikmateriaal (CSAM).',
    ...programme('zeewind', 8),
  },
  {
    party: 'zeewind',
    goal: 2,
    by: 'Youssef Amrani',
    stance: 'declined',
    statement: 'Wij kiezen voor een leeftijdsgrens voor social media en nemen deze doelstelling daarom niet over.',
    ...programme('zeewind', 30),
  },
  {
    party: 'zeewind',
    goal: 4,
    by: 'Youssef Amrani',
    stance: 'partial',
    statement: 'Meer geld voor opvoeders staat in ons programma; structurele financiering van organisaties niet.',
    ...programme('zeewind', 33),
  },
  {
    party: 'kompas',
    goal: 1,
    by: 'Marieke Jansen',
    stance: 'partial',
    statement: 'Wij steunen verwijdering van materiaal van Nederlandse servers, maar niet een algemene detectieplicht.',
    ...programme('kompas', 17),
  },
  {
    party: 'kompas',
    goal: 3,
    by: 'Marieke Jansen',
    stance: 'committed',
    statement: 'Iedere jongere die misbruik heeft meegemaakt krijgt binnen vier weken gespecialiseerde hulp.',
    ...programme('kompas', 19),
  },
  {
    party: 'lindeboom',
    goal: 1,
    by: 'Sanne Bakker',
    stance: 'committed',
    statement: 'Een verplichte Kinderrechten Impact Assessment voor techbedrijven staat letterlijk in ons programma.',
    ...programme('lindeboom', 5),
  },
  {
    party: 'lindeboom',
    goal: 2,
    by: 'Sanne Bakker',
    stance: 'committed',
    statement: 'Kinderen krijgen structureel inspraak via een kinderparticipatie-mechanisme.',
    ...programme('lindeboom', 6),
  },
  {
    party: 'lindeboom',
    goal: 3,
    by: 'Sanne Bakker',
    stance: 'committed',
    statement: 'Wij maken training van hulpverleners verplicht.',
    ...programme('lindeboom', 7),
  },
  {
    party: 'lindeboom',
    goal: 4,
    by: 'Sanne Bakker',
    stance: 'committed',
    statement: 'Wij investeren in een landelijk systeem voor vroege signalering, bescherming en zorg.',
    ...programme('lindeboom', 9),
  },
  {
    party: 'brugpartij',
    goal: 1,
    by: 'Pieter Smit',
    stance: 'declined',
    statement: 'Wij vinden de bestaande wetgeving voldoende en nemen deze doelstelling niet op.',
    evidenceUrl: '',
    evidencePage: null,
  },
  { party: 'brugpartij', goal: 4, by: 'Pieter Smit', stance: 'declined', statement: '', evidenceUrl: '', evidencePage: null },
  // Morgenrood has not responded: the board shows "no response", not "declined".
];

/**
 * One correction by the campaign, so the demo shows how the site marks one: Kompas's
 * programme page was given wrong, and the campaign fixed it on the party's behalf.
 */
const DEMO_CORRECTION = {
  party: 'kompas',
  goal: 3,
  evidencePage: 21,
  reason: 'Het paginanummer wees naar de inhoudsopgave; de toezegging staat op pagina 21 van het programma.',
};
const DEMO_CAMPAIGN: Actor = { userId: null, name: 'Campagneteam (demo)', role: 'admin', partyId: null, label: 'demo' };

/** Fills an empty database with the demo parties and their pledges. */
export async function seedDemoBoard(db: Db, campaignId: number, goals: readonly { slug: string; number: number }[]): Promise<void> {
  await importInitialParties(db, campaignId, DEMO_PARTIES);
  const partyIds = new Map((await db.select({ id: parties.id, slug: parties.slug }).from(parties)).map((p) => [p.slug, p.id]));
  const goalSlugs = goals.map((g) => g.slug);
  for (const { party, goal, by, ...input } of DEMO_PLEDGES) {
    const goalSlug = goals.find((g) => g.number === goal)?.slug;
    if (!goalSlug) continue;
    const result = await savePledge(db, {
      campaignId,
      partySlug: party,
      goalSlug,
      goalSlugs,
      baseVersion: 0,
      input,
      // As the party's own (fictional) representative, without an account, so the demo's parties
      // have answered (answers.ts: only a representative's pledge is an answer); demo pledging is always open.
      actor: { userId: null, name: by, role: 'rep', partyId: partyIds.get(party) ?? null, label: 'demo' },
    });
    if (result.status !== 'saved') throw new Error(`demo pledge ${party}/${goalSlug}: ${result.status}`);
  }
  const corrected = DEMO_PLEDGES.find((p) => p.party === DEMO_CORRECTION.party && p.goal === DEMO_CORRECTION.goal);
  const goalSlug = goals.find((g) => g.number === DEMO_CORRECTION.goal)?.slug;
  if (!corrected || !goalSlug) return;
  const { party, goal: _goal, by: _by, ...input } = corrected;
  const result = await savePledge(db, {
    campaignId,
    partySlug: party,
    goalSlug,
    goalSlugs,
    baseVersion: 1,
    input: { ...input, evidencePage: DEMO_CORRECTION.evidencePage },
    actor: DEMO_CAMPAIGN,
    correctionReason: DEMO_CORRECTION.reason,
  });
  if (result.status !== 'saved') throw new Error(`demo correction ${party}/${goalSlug}: ${result.status}`);
}
