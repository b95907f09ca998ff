/**
 * A parliamentary item (a `Zaak` of the Tweede Kamer: a motion, amendment, bill …) with its
 * decision and each parliamentary party's vote, read from the Tweede Kamer's OData v4 JSON
 * (Zaak → Besluit → Stemming) into one plain shape. Pure: no network, no database.
 *
 * Where each field name comes from (read 2026; the portal is the authority, the clients show
 * the casing and the $expand syntax that works against the live service):
 * - Zaak: Id, Nummer, Soort, Titel, Onderwerp, GestartOp, Verwijderd, ApiGewijzigdOp:
 *   https://opendata.tweedekamer.nl/documentatie/zaak (Titel: openkamer/tkapi tkapi/zaak.py).
 * - Besluit: Id, BesluitSoort, BesluitTekst, Status, StemmingsSoort, Verwijderd,
 *   ApiGewijzigdOp, Agendapunt: openkamer/tkapi tkapi/besluit.py and berthubert/tkconv
 *   tkserv.cc (the portal's Besluit page was not readable here). A Besluit has no date of its
 *   own: tkconv and other clients take the vote's day from Agendapunt → Activiteit.Datum,
 *   expanded as `Agendapunt($expand=Activiteit($select=Datum))`.
 * - Stemming: Id, Soort ("Voor", "Tegen", "Niet deelgenomen"), FractieGrootte, ActorNaam,
 *   ActorFractie, Vergissing, Persoon_Id, Fractie_Id, GewijzigdOp, ApiGewijzigdOp, Verwijderd:
 *   https://opendata.tweedekamer.nl/documentatie/stemming (all nullable there except Id).
 * - Deleted rows: the portal keeps deleted entities with Verwijderd = true; always filter
 *   `Verwijderd eq false` (research notes; openkamer/tkapi drops them client-side too).
 * - Known data problems this module deals with, from the portal's issue tracker
 *   (TweedeKamerDerStaten-Generaal/OpenDataPortaal): vote rows listed twice for one motion
 *   (#167, on 2025Z19039), and rows of single members (with Persoon_Id) inside a show of
 *   hands, for members who voted apart from their fraction (#131).
 *
 * Rules (each has a test in tests/unit/parliament/zaak.test.ts):
 * - Rows with Verwijderd = true are ignored at every level, even when the server sent them;
 *   they are checked only for being rows (their other fields may be anything).
 * - A number must name exactly one live Zaak: none is "not found"; several are refused with
 *   their Ids, never guessed (Nummer is documented only as an internal identifier, not as
 *   unique; after the Verwijderd filter it should be).
 * - The decision is the Besluit that has votes ("Ingediend" and the like come without). If
 *   several have votes (a vote redone), the latest: by the day of its Activiteit, then by
 *   ApiGewijzigdOp (when the API published it). If none has votes, the latest Besluit all the
 *   same, with no votes (e.g. "Zonder stemming" adopted, or not yet voted on); null if none.
 * - Duplicate vote rows (the same fraction twice, or the same member twice) keep the latest
 *   by ApiGewijzigdOp, then GewijzigdOp, then the later row in the response; a warning says so.
 * - One vote per fraction. A row without Persoon_Id is the fraction's vote (show of hands).
 *   Rows with Persoon_Id are members' own votes: in a roll call (hoofdelijk) every member has
 *   one and there is no fraction row, so the fraction's vote is its members' common vote, or
 *   "split" when they differ; in a show of hands they are the members who voted apart, kept
 *   beside the fraction's vote. Members are always kept, never dropped.
 * - "Niet deelgenomen" is "did-not-vote": the Kamer has no abstention, and "abstained" would
 *   say something the record does not.
 */
import { z } from 'zod';
import { letters } from '../party-name.ts';
import { withoutForbiddenCharacters } from '../text.ts';

/** The public API, for the address an item cites (also when it came from a saved file). */
export const TK_ODATA_BASE_URL = 'https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/';

/** "2025Z19039": the year, Z, five digits (the Kamer's zaak number). */
export const ZAAK_NUMBER = /^\d{4}Z\d{5}$/;

export type VotePosition = 'for' | 'against' | 'did-not-vote';

export interface MemberVote {
  /** ActorNaam ("Jansen, A.B."). */
  name: string;
  personId: string;
  vote: VotePosition;
  mistake: boolean;
}

export interface FractionVote {
  /** ActorFractie: the fraction's name at the time of the vote. */
  fraction: string;
  fractionId: string | null;
  /** The fraction's vote; "split" only when its members voted on their own and differed. */
  vote: VotePosition | 'split';
  /** FractieGrootte: its seats at the time. */
  size: number | null;
  /** Vergissing: the fraction said afterwards it voted by mistake (the vote stands). */
  mistake: boolean;
  /** Members' own votes: everyone in a roll call, those voting apart in a show of hands. */
  members: MemberVote[];
}

export interface ZaakDecision {
  id: string;
  /** BesluitSoort, e.g. "Stemmen - aangenomen". */
  kind: string | null;
  /** BesluitTekst, e.g. "Aangenomen.". */
  text: string | null;
  /** Status, e.g. "Besluit". */
  status: string | null;
  /** StemmingsSoort: "Met handopsteken", "Hoofdelijk", "Zonder stemming" … */
  votingKind: string | null;
  /** The day of the sitting (Agendapunt → Activiteit.Datum), YYYY-MM-DD, when the response has it. */
  date: string | null;
}

export interface ZaakItem {
  /** Zaak.Id (a GUID). */
  id: string;
  /** Nummer, e.g. "2025Z19039". */
  number: string;
  /** Soort: "Motie", "Amendement", "Wetgeving" … */
  kind: string;
  title: string | null;
  subject: string | null;
  /** GestartOp, YYYY-MM-DD. */
  startedOn: string | null;
  decision: ZaakDecision | null;
  votes: FractionVote[];
  /** The item at the API (a stable address; the tweedekamer.nl page needs a document id). */
  sourceUrl: string;
  /** What was cleaned up on the way (duplicate rows), for the importer to show. */
  warnings: string[];
}

/**
 * Why an item could not be read: the response (`invalid`, `incomplete`: a next page,
 * `not-found`, `ambiguous`), the file or body (`bad-json`, `too-large`, `unreadable`), or the
 * request (`bad-number`, `timeout`, `network`, `http`: see tk-client.ts).
 */
export type ZaakErrorCode =
  'invalid' | 'incomplete' | 'not-found' | 'ambiguous' | 'bad-json' | 'too-large' | 'unreadable' | 'bad-number' | 'timeout' | 'network' | 'http';

/** A response that cannot be used; `path` names the field ("value[0].Besluit[1].Stemming[3].Soort"). */
export class ZaakError extends Error {
  readonly code: ZaakErrorCode;
  readonly path: string | null;

  constructor(code: ZaakErrorCode, message: string, path: string | null = null) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'ZaakError';
    this.code = code;
    this.path = path;
  }
}

// --- the response's shape -------------------------------------------------------------------

/** OData v4 JSON writes Edm.DateTimeOffset as ISO 8601; datetime2 fields may come without offset. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?$/;
const timestamp = z.string({ error: 'expected a date and time' }).regex(TIMESTAMP, 'expected a date and time (ISO 8601)');
const guid = z.guid({ error: 'expected a GUID' });
const text = z
  .string({ error: 'expected text' })
  .transform((value) => withoutForbiddenCharacters(value).trim())
  .transform((value) => (value === '' ? null : value));
const optionalText = text.nullish().transform((value) => value ?? null);
const requiredText = z
  .string({ error: 'expected text' })
  .transform((value) => withoutForbiddenCharacters(value).trim())
  .pipe(z.string().min(1, 'expected text, got an empty string'));

/** A row the server marked deleted: only its flag is read. */
const deletedRow = z.looseObject({ Verwijderd: z.literal(true) });
/** Rows of every level: Verwijderd decides which shape applies. */
const VERWIJDERD = { error: 'expected Verwijderd to be true or false' };

const SOORT = { Voor: 'for', Tegen: 'against', 'Niet deelgenomen': 'did-not-vote' } as const satisfies Record<string, VotePosition>;

const stemmingSchema = z.looseObject({
  Verwijderd: z.literal(false),
  Id: guid,
  Soort: z.enum(['Voor', 'Tegen', 'Niet deelgenomen'], { error: 'expected Voor, Tegen or Niet deelgenomen' }),
  ActorFractie: requiredText,
  ActorNaam: optionalText,
  Fractie_Id: guid.nullish().transform((value) => value ?? null),
  Persoon_Id: guid.nullish().transform((value) => value ?? null),
  FractieGrootte: z
    .int({ error: 'expected a whole number of seats' })
    .min(0)
    .max(150)
    .nullish()
    .transform((value) => value ?? null),
  Vergissing: z
    .boolean({ error: 'expected true or false' })
    .nullish()
    .transform((value) => value ?? false),
  GewijzigdOp: timestamp.nullish().transform((value) => value ?? null),
  ApiGewijzigdOp: timestamp.nullish().transform((value) => value ?? null),
});

const activiteitSchema = z.looseObject({ Datum: timestamp.nullish(), Verwijderd: z.boolean().optional() });
const agendapuntSchema = z.looseObject({ Activiteit: activiteitSchema.nullish(), Verwijderd: z.boolean().optional() });

const besluitSchema = z.looseObject({
  Verwijderd: z.literal(false),
  Id: guid,
  BesluitSoort: optionalText,
  BesluitTekst: optionalText,
  Status: optionalText,
  StemmingsSoort: optionalText,
  GewijzigdOp: timestamp.nullish().transform((value) => value ?? null),
  ApiGewijzigdOp: timestamp.nullish().transform((value) => value ?? null),
  Agendapunt: agendapuntSchema.nullish(),
  'Stemming@odata.nextLink': z.never({ error: 'the server sent only part of the votes (a next page); refused rather than counted short' }).optional(),
  Stemming: z.array(z.discriminatedUnion('Verwijderd', [stemmingSchema, deletedRow], VERWIJDERD), {
    error: 'expected the list of votes: request with $expand=Besluit($expand=Stemming)',
  }),
});

const zaakSchema = z.looseObject({
  Verwijderd: z.literal(false),
  Id: guid,
  Nummer: z.string({ error: 'expected the zaak number' }).regex(ZAAK_NUMBER, 'expected a zaak number such as 2025Z19039'),
  Soort: requiredText,
  Titel: optionalText,
  Onderwerp: optionalText,
  GestartOp: timestamp.nullish().transform((value) => value ?? null),
  'Besluit@odata.nextLink': z.never({ error: 'the server sent only part of the decisions (a next page); refused' }).optional(),
  Besluit: z.array(z.discriminatedUnion('Verwijderd', [besluitSchema, deletedRow], VERWIJDERD), {
    error: 'expected the list of decisions: request with $expand=Besluit',
  }),
});

/**
 * The response of `Zaak?$filter=…&$expand=Besluit(…;$expand=Stemming(…))`: the fields read
 * are checked, every other field (and @odata.* annotations) is let through.
 */
export const zaakResponseSchema = z.looseObject({
  '@odata.nextLink': z.never({ error: 'the server sent only part of the result (a next page); refused' }).optional(),
  value: z.array(z.discriminatedUnion('Verwijderd', [zaakSchema, deletedRow], VERWIJDERD), {
    error: 'expected an OData response: an object with a "value" list',
  }),
});
type LiveBesluit = z.output<typeof besluitSchema>;
type LiveStemming = z.output<typeof stemmingSchema>;

/** ["value", 0, "Besluit", 1, "Soort"] → "value[0].Besluit[1].Soort". */
function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`), '');
}

function live<T extends { Verwijderd: boolean }>(rows: readonly T[]): Extract<T, { Verwijderd: false }>[] {
  return rows.filter((r): r is Extract<T, { Verwijderd: false }> => r.Verwijderd === false);
}

// --- choosing ----------------------------------------------------------------------------------

/** Compares two optional timestamps; a missing one is the older. */
function compareTime(a: string | null | undefined, b: string | null | undefined): number {
  const ta = a ? Date.parse(a) : Number.NEGATIVE_INFINITY;
  const tb = b ? Date.parse(b) : Number.NEGATIVE_INFINITY;
  return ta === tb ? 0 : ta < tb ? -1 : 1;
}

function sittingDate(besluit: LiveBesluit): string | null {
  const agendapunt = besluit.Agendapunt;
  if (!agendapunt || agendapunt.Verwijderd === true) return null;
  const activiteit = agendapunt.Activiteit;
  if (!activiteit || activiteit.Verwijderd === true || !activiteit.Datum) return null;
  return activiteit.Datum;
}

/** The latest of several decisions: by the day of the sitting, then by when the API published it. */
function latestBesluit(besluiten: readonly LiveBesluit[]): LiveBesluit | null {
  let latest: LiveBesluit | null = null;
  for (const besluit of besluiten) {
    if (latest === null) latest = besluit;
    else {
      const order = compareTime(sittingDate(besluit), sittingDate(latest)) || compareTime(besluit.ApiGewijzigdOp, latest.ApiGewijzigdOp);
      if (order >= 0) latest = besluit;
    }
  }
  return latest;
}

/** Of duplicate rows, the latest; on a tie the later row in the response. */
function latestRow(rows: readonly LiveStemming[]): LiveStemming {
  return rows.reduce((kept, candidate) => {
    const order = compareTime(candidate.ApiGewijzigdOp, kept.ApiGewijzigdOp) || compareTime(candidate.GewijzigdOp, kept.GewijzigdOp);
    return order >= 0 ? candidate : kept;
  });
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** One vote per fraction, from the live rows of one decision (see the rules above). */
function fractionVotes(rows: readonly LiveStemming[], warnings: string[]): FractionVote[] {
  const fractionKey = (r: LiveStemming) => letters(r.ActorFractie);
  const dedupe = (groups: Map<string, LiveStemming[]>, what: (r: LiveStemming) => string) =>
    [...groups.values()].map((group) => {
      const kept = latestRow(group);
      if (group.length > 1) {
        const differ = new Set(group.map((r) => r.Soort)).size > 1 ? ` (they differ: kept "${kept.Soort}")` : '';
        warnings.push(`${what(kept)}: ${group.length} vote rows, kept the latest${differ}`);
      }
      return kept;
    });

  const fractionRows = dedupe(
    groupBy(
      rows.filter((r) => r.Persoon_Id === null),
      fractionKey,
    ),
    (r) => `fraction "${r.ActorFractie}"`,
  );
  const memberRows = dedupe(
    groupBy(
      rows.filter((r) => r.Persoon_Id !== null),
      (r) => r.Persoon_Id!,
    ),
    (r) => `member "${r.ActorNaam ?? r.Persoon_Id}" (${r.ActorFractie})`,
  );

  const byFraction = new Map<string, { fraction?: LiveStemming; members: LiveStemming[]; first: number }>();
  rows.forEach((r, index) => {
    if (!byFraction.has(fractionKey(r))) byFraction.set(fractionKey(r), { members: [], first: index });
  });
  for (const r of fractionRows) byFraction.get(fractionKey(r))!.fraction = r;
  for (const r of memberRows) byFraction.get(fractionKey(r))!.members.push(r);

  return [...byFraction.values()].map(({ fraction, members }) => {
    const memberVotes: MemberVote[] = members.map((m) => ({
      name: m.ActorNaam ?? m.Persoon_Id!,
      personId: m.Persoon_Id!,
      vote: SOORT[m.Soort],
      mistake: m.Vergissing,
    }));
    if (fraction) {
      return {
        fraction: fraction.ActorFractie,
        fractionId: fraction.Fractie_Id,
        vote: SOORT[fraction.Soort],
        size: fraction.FractieGrootte,
        mistake: fraction.Vergissing,
        members: memberVotes,
      };
    }
    // A roll call: no fraction row, the members speak for it.
    const positions = new Set(memberVotes.map((m) => m.vote));
    const sizes = members.map((m) => m.FractieGrootte).filter((size) => size !== null);
    return {
      fraction: members[0]!.ActorFractie,
      fractionId: members.find((m) => m.Fractie_Id !== null)?.Fractie_Id ?? null,
      vote: positions.size === 1 ? memberVotes[0]!.vote : 'split',
      size: sizes.length > 0 ? Math.max(...sizes) : null,
      mistake: false,
      members: memberVotes,
    };
  });
}

// --- the one entry point -------------------------------------------------------------------------

/**
 * Reads a parsed JSON response into one item. `expectedNumber` (the number asked for, or the
 * one a saved file should hold) makes a response about another item an error.
 * Throws ZaakError: `invalid` names the first field that does not fit.
 */
export function parseZaakResponse(json: unknown, expectedNumber?: string): ZaakItem {
  const parsed = zaakResponseSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const incomplete = issue.path.some((key) => typeof key === 'string' && key.endsWith('@odata.nextLink'));
    throw new ZaakError(incomplete ? 'incomplete' : 'invalid', issue.message, issue.path.length > 0 ? pathText(issue.path) : '(the response)');
  }
  const zaken = live(parsed.data.value);
  const wanted = expectedNumber === undefined ? zaken : zaken.filter((z) => z.Nummer === expectedNumber);
  if (wanted.length === 0) {
    const other = zaken[0]?.Nummer;
    const detail = other !== undefined && expectedNumber !== undefined ? ` (the response is about ${other})` : '';
    throw new ZaakError('not-found', `no zaak ${expectedNumber ?? ''} that is not deleted${detail}`.replace('  ', ' '));
  }
  if (wanted.length > 1) {
    throw new ZaakError('ambiguous', `${wanted.length} zaken numbered ${wanted[0]!.Nummer} (Id ${wanted.map((z) => z.Id).join(', ')}); not guessing which one`);
  }
  const zaak = wanted[0]!;
  const besluiten = live(zaak.Besluit);
  const withVotes = besluiten.filter((b) => live(b.Stemming).length > 0);
  const besluit = latestBesluit(withVotes.length > 0 ? withVotes : besluiten);
  const warnings: string[] = [];
  if (withVotes.length > 1) warnings.push(`${withVotes.length} decisions with votes: took the latest (${besluit!.Id})`);
  const date = besluit ? sittingDate(besluit) : null;

  return {
    id: zaak.Id,
    number: zaak.Nummer,
    kind: zaak.Soort,
    title: zaak.Titel,
    subject: zaak.Onderwerp,
    startedOn: zaak.GestartOp ? zaak.GestartOp.slice(0, 10) : null,
    decision: besluit
      ? {
          id: besluit.Id,
          kind: besluit.BesluitSoort,
          text: besluit.BesluitTekst,
          status: besluit.Status,
          votingKind: besluit.StemmingsSoort,
          // The day as the Kamer wrote it (its own offset), not converted to UTC.
          date: date ? date.slice(0, 10) : null,
        }
      : null,
    votes: besluit ? fractionVotes(live(besluit.Stemming), warnings) : [],
    sourceUrl: `${TK_ODATA_BASE_URL}Zaak(${zaak.Id})`,
    warnings,
  };
}
