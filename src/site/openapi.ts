/**
 * The OpenAPI 3.1 description of the open-data API (served at /api/v1/openapi.json). Its
 * schemas are the contract: the tests validate real responses against them.
 */
import { EVIDENCE_FETCH_REASONS } from '../domain/evidence-fetch.ts';
const nullable = (schema: object) => ({ oneOf: [schema, { type: 'null' }] });
const dateTime = { type: 'string', format: 'date-time' };
const boardStance = { type: 'string', enum: ['committed', 'partial', 'declined', 'none'] };
const stance = { type: 'string', enum: ['committed', 'partial', 'declined'] };
const beforeAfter = (schema: object, afterSchema: object = schema) => ({
  type: 'object',
  additionalProperties: false,
  required: ['before', 'after'],
  properties: { before: schema, after: afterSchema },
});

const atParameter = {
  name: 'at',
  in: 'query',
  description: 'Show the data as it was at this moment (ISO-8601 with a time zone). Omit for the live data.',
  schema: { type: 'string', format: 'date-time' },
  example: '2026-05-01T12:00:00Z',
};
const langParameter = {
  name: 'lang',
  in: 'query',
  description: 'Language of goal titles and campaign texts.',
  schema: { type: 'string', enum: ['nl', 'en'], default: 'nl' },
};
const sepParameter = {
  name: 'sep',
  in: 'query',
  description:
    'The dialect. `comma`: RFC 4180. `semicolon`: for a spreadsheet set to Dutch (Excel nl-NL opens it with a double click): `;` between fields, a decimal comma in numbers with decimals. Both are UTF-8 with a byte-order mark and CRLF line ends. Added in 1.3.',
  schema: { type: 'string', enum: ['comma', 'semicolon'], default: 'comma' },
};
const csvResponses = {
  '200': {
    description: 'The CSV file (Content-Disposition names it, e.g. pledgeboard-live.csv).',
    content: { 'text/csv': { schema: { type: 'string' } } },
  },
};
const errors = {
  '400': { description: 'A query parameter is not valid.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '304': { description: 'Not modified (If-None-Match matched the ETag).' },
};

/** The current campaign's files (the paths without a campaign, as in 1.x). */
const CURRENT_CAMPAIGN_PATHS = {
  '/api/v1/scoreboard.json': {
    get: {
      operationId: 'getScoreboard',
      summary: 'Every party × every goal, with stance, statement and evidence.',
      parameters: [langParameter, atParameter],
      responses: {
        '200': { description: 'The scoreboard.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Scoreboard' } } } },
        ...errors,
      },
    },
  },
  '/api/v1/events.json': {
    get: {
      operationId: 'getEvents',
      summary: 'The public history of every pledge change, newest first, paged.',
      description:
        'Three lists, newest first, each at most `limit` long and paged by its own cursor: `events` (`before`), `checks` (`checksBefore`, added in 1.7) and `replies` (`repliesBefore`, added in 1.8). A request without any cursor is the first page; on a later page a list whose cursor is absent is done (empty). Follow `next` (also in the `Link` header): it carries the cursor of each list that has more, and is null on the last page. Before 1.8 the first page held every check.',
      parameters: [
        atParameter,
        { name: 'before', in: 'query', description: 'Only events older than this event id (see `next`).', schema: { type: 'integer', minimum: 1 } },
        {
          name: 'checksBefore',
          in: 'query',
          description: 'Added in 1.8: only checks older than this check id (see `next`).',
          schema: { type: 'integer', minimum: 1 },
        },
        {
          name: 'repliesBefore',
          in: 'query',
          description: 'Added in 1.8: only replies older than this reply id (see `next`).',
          schema: { type: 'integer', minimum: 1 },
        },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
        { name: 'party', in: 'query', description: 'Only this party (slug).', schema: { type: 'string' } },
        { name: 'goal', in: 'query', description: 'Only this goal (slug).', schema: { type: 'string' } },
      ],
      responses: {
        '200': { description: 'A page of events.', content: { 'application/json': { schema: { $ref: '#/components/schemas/EventsPage' } } } },
        '404': { description: 'Unknown party or goal.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ...errors,
      },
    },
  },
  '/api/v1/pledges.csv': {
    get: {
      operationId: 'getPledgesCsv',
      summary: 'One row per party × goal (RFC 4180, UTF-8 with BOM). A cell starting with =, +, - or @ gets a leading apostrophe.',
      description:
        "Columns: party_slug, party_name, party_abbreviation, party_seats, goal_number, goal_slug, goal_title, stance, statement, statement_hidden_reason, evidence_url, evidence_page, updated_at; added in 1.7: check_status (verified | disputed | unchecked), checked_at, check_reason, check_quote, check_page, check_url, check_reply (the campaign's check of the version shown, and the party's latest reply to it; empty when the campaign hid it); added in 1.8: check_reply_hidden_reason (the campaign's public reason when it hid that reply), evidence_fetched_at, evidence_http_status, evidence_refusal, evidence_content_type, evidence_size, evidence_sha256, evidence_since (the copy of the evidence page the check kept and what became of the page since, as in Check.evidence and Check.since; empty where there is none).",
      parameters: [langParameter, atParameter, sepParameter],
      responses: { ...csvResponses, ...errors },
    },
  },
  '/api/v1/pledges-wide.csv': {
    get: {
      operationId: 'getPledgesWideCsv',
      summary: 'One row per party, a group of columns per goal (UTF-8 with BOM). Added in 1.3.',
      description:
        "Columns: party_slug, party_name, party_abbreviation, party_seats, goals_committed (how many goals the party committed to in full); then for each goal n, in goal order: goal<n>_stance (committed | partial | declined | none), goal<n>_statement, goal<n>_statement_hidden_reason, goal<n>_evidence_url; then updated_at (the party's latest pledge change, empty if none); added in 1.8, after it, for each goal n: goal<n>_check_status (verified | disputed | unchecked), goal<n>_checked_at, goal<n>_check_reason, goal<n>_check_url, goal<n>_check_reply, goal<n>_evidence_since (see Check). A cell starting with =, +, - or @ gets a leading apostrophe.",
      parameters: [atParameter, sepParameter],
      responses: { ...csvResponses, ...errors },
    },
  },
  '/api/v1/candidates.json': {
    get: {
      operationId: 'getCandidates',
      summary:
        "Every candidate on the campaign's party lists, in list order per party, with what they signed for each goal. Withdrawn candidates are kept (withdrawn: true). Live only: `at` is refused. Added in 1.6.",
      parameters: [langParameter],
      responses: {
        '200': { description: 'The candidates.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Candidates' } } } },
        ...errors,
      },
    },
  },
  '/api/v1/candidates.csv': {
    get: {
      operationId: 'getCandidatesCsv',
      summary: 'One row per candidate, a group of columns per goal (UTF-8 with BOM). Live only. Added in 1.6.',
      description:
        "Columns: candidate_id, party_slug, party_name, position (the best place on the party's lists), name, initials, first_name, prefix, last_name, gender (male | female, empty where the list does not allow it to be published), place, country, districts (`kieskring:list/position` per district, space-separated), elected (yes | no), withdrawn (yes | no), signed_all (yes when every goal is committed); then for each goal n, in goal order: goal<n>_committed (yes | no, empty when not signed), goal<n>_statement, goal<n>_signed_at. A cell starting with =, +, - or @ gets a leading apostrophe.",
      parameters: [sepParameter],
      responses: { ...csvResponses, ...errors },
    },
  },
  '/api/v1/follow-up.json': {
    get: {
      operationId: 'getFollowUp',
      summary:
        "After the election: each parliamentary item (a Tweede Kamer Zaak) linked to a goal, with its number, decision and votes per party; every follow-up rating (append-only, oldest first); and per party × goal the stance, the current rating and the votes summary. Shown from the campaign's follow-up state on (404 before). Added in 1.7.",
      parameters: [langParameter, atParameter],
      responses: {
        '200': { description: 'The follow-up.', content: { 'application/json': { schema: { $ref: '#/components/schemas/FollowUp' } } } },
        '404': { description: 'The campaign has no follow-up (yet).', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ...errors,
      },
    },
  },
  '/api/v1/follow-up.csv': {
    get: {
      operationId: 'getFollowUpCsv',
      summary: 'One row per party × goal: stance, current follow-up rating, votes summary (UTF-8 with BOM). Added in 1.7.',
      description:
        'Columns: party_slug, party_name, goal_number, goal_slug, goal_title, stance, follow_up_status (in-progress | stalled | kept | partly-kept | broken | not-checkable; empty: not yet rated), broken_reason (no-majority | not-a-priority | changed-position, only when broken), citation_url, explanation, rated_at, votes_in_line, votes_counted (see FollowUp.votes), follow_up_reply (the party’s latest reply to the current rating; empty: none, or hidden by the campaign), follow_up_reply_hidden_reason (added in 1.8: the campaign’s public reason when it hid that reply); added in 1.8, the campaign’s check of the pledge as in pledges.csv: check_status, checked_at, check_reason, check_quote, check_page, check_url, check_reply, check_reply_hidden_reason, evidence_fetched_at, evidence_http_status, evidence_refusal, evidence_content_type, evidence_size, evidence_sha256, evidence_since. A cell starting with =, +, - or @ gets a leading apostrophe.',
      parameters: [langParameter, atParameter, sepParameter],
      responses: {
        ...csvResponses,
        '404': { description: 'The campaign has no follow-up (yet).', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ...errors,
      },
    },
  },
};

const campaignParameter = {
  name: 'campaign',
  in: 'path',
  required: true,
  description: "The campaign's slug (see /api/v1/campaigns.json).",
  schema: { type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' },
};

/**
 * Each campaign's own files: the same as the current campaign's, under
 * /api/v1/campaigns/{campaign}/ (added in 1.7). An address there keeps showing that campaign
 * when another is current.
 */
function perCampaign<P extends Record<string, { get: { operationId: string; parameters: readonly object[]; responses: object } }>>(paths: P) {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      path.replace('/api/v1/', '/api/v1/campaigns/{campaign}/'),
      {
        get: {
          ...item.get,
          operationId: `${item.get.operationId}OfCampaign`,
          parameters: [campaignParameter, ...item.get.parameters],
          responses: {
            ...item.get.responses,
            '404': { description: 'No such campaign (or party or goal).', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          },
        },
      },
    ]),
  );
}

const CAMPAIGNS_PATH = {
  get: {
    operationId: 'getCampaigns',
    summary: 'Every published campaign, newest first, with the addresses of its pages and files. Added in 1.7.',
    parameters: [langParameter],
    responses: {
      '200': { description: 'The campaigns.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Campaigns' } } } },
      ...errors,
    },
  },
};

const OEMBED_PATH = {
  get: {
    operationId: 'getOembed',
    summary: 'oEmbed (rich) for any public page or embed of this site.',
    parameters: [
      { name: 'url', in: 'query', required: true, schema: { type: 'string', format: 'uri' } },
      { name: 'format', in: 'query', schema: { type: 'string', enum: ['json'] } },
      { name: 'maxwidth', in: 'query', schema: { type: 'integer', minimum: 1 } },
      { name: 'maxheight', in: 'query', schema: { type: 'integer', minimum: 1 } },
    ],
    responses: {
      '200': { description: 'The embed.', content: { 'application/json': { schema: { $ref: '#/components/schemas/OembedRich' } } } },
      '400': {
        description:
          'No url, a bad maxwidth or maxheight, a moment that is not one, or an embed address whose embed refuses its options (theme, lang, goals, parties).',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
      '404': {
        description: 'Not a page of this site, a party, goal or campaign not on it, or a follow-up (or one of its items) the campaign does not show (yet).',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
      '501': { description: 'Only format=json is offered.' },
    },
  },
};

/** A party's latest reply beside a check or a rating; `hiddenReason` (and `text` null when hidden) added in 1.8. */
const replySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['text', 'at', 'hiddenReason'],
  properties: {
    text: { ...nullable({ type: 'string', minLength: 1, maxLength: 1000 }), description: 'null when the campaign hid the reply (see hiddenReason).' },
    at: dateTime,
    hiddenReason: { ...nullable({ type: 'string' }), description: 'Added in 1.8: the public reason when the campaign hid the reply; null when shown.' },
  },
} as const;

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Pledgeboard open data',
    version: '1.8.0',
    description:
      'Which parties committed to the campaign goals, and every change to their pledges. Free to reuse under CC BY 4.0: credit the campaign. All responses carry an ETag and Cache-Control; CORS is open for GET.\n\nChanges in 1.8: events.json lists every reply of a party (`replies`, paged with `repliesBefore`) and pages its checks (`checksBefore`) instead of listing them all on the first page; a reply (Check.reply, FollowUp rating reply, ReplyEvent) the campaign hid has `text` null and `hiddenReason` set; a check, a follow-up rating, a reply and its moderation move `updatedAt`. Also in 1.8: Check has `evidence`, `since` and `sinceFetchedAt` (the kept copy of the evidence page); follow-up.json has each pledge’s `check`, and its `updatedAt` moves with what it shows (pledges, checks, replies, fraction mappings, unlinks) and lists every import and unlink of an item in `itemHistory` (FollowUpItemEvent: a re-import that flips the effect, an unlink with its reason); the CSV files have the columns of the check and its evidence; campaigns.json links a campaign’s follow-up files where it shows one.',
    license: { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
  },
  jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
  paths: {
    ...CURRENT_CAMPAIGN_PATHS,
    '/api/v1/campaigns.json': CAMPAIGNS_PATH,
    ...perCampaign(CURRENT_CAMPAIGN_PATHS),
    '/oembed': OEMBED_PATH,
  },
  components: {
    schemas: {
      FollowUp: {
        type: 'object',
        additionalProperties: false,
        required: ['campaign', 'at', 'updatedAt', 'goals', 'items', 'itemHistory', 'ratings', 'parties'],
        properties: {
          campaign: {
            type: 'object',
            additionalProperties: false,
            required: ['slug', 'state'],
            properties: { slug: { type: 'string' }, state: { type: 'string', enum: ['follow-up', 'archived'] } },
          },
          at: nullable(dateTime),
          updatedAt: {
            ...nullable(dateTime),
            description:
              'The latest change the follow-up shows: a rating, an import or unlink of an item, a fraction mapping, or (since 1.8) a pledge, its check or a reply.',
          },
          goals: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['slug', 'number', 'title'],
              properties: { slug: { type: 'string' }, number: { type: 'integer' }, title: { type: 'string' } },
            },
          },
          items: { type: 'array', items: { $ref: '#/components/schemas/FollowUpItem' } },
          itemHistory: {
            type: 'array',
            description: 'Added in 1.8: every import and unlink of an item (with `?at=`, up to then), newest first.',
            items: { $ref: '#/components/schemas/FollowUpItemEvent' },
          },
          ratings: {
            type: 'array',
            description: 'Every rating, oldest first: the latest per party × goal is current.',
            items: { $ref: '#/components/schemas/FollowUpRating' },
          },
          parties: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['slug', 'name', 'goals'],
              properties: {
                slug: { type: 'string' },
                name: { type: 'string' },
                goals: {
                  type: 'object',
                  additionalProperties: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['stance', 'check', 'followUp', 'votes'],
                    properties: {
                      stance: boardStance,
                      check: { $ref: '#/components/schemas/Check' },
                      followUp: { ...nullable({ $ref: '#/components/schemas/FollowUpRating' }), description: 'The current rating; null: not yet rated.' },
                      votes: {
                        type: 'object',
                        additionalProperties: false,
                        required: ['inLine', 'counted'],
                        description:
                          "Over the goal's items: `counted` those on which the party's parliamentary party has a recorded vote (for, against, split, did-not-vote); `inLine` those where it voted for an item that advances the goal or against one that undermines it.",
                        properties: { inLine: { type: 'integer', minimum: 0 }, counted: { type: 'integer', minimum: 0 } },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
      FollowUpRating: {
        type: 'object',
        additionalProperties: false,
        required: ['party', 'goal', 'status', 'brokenReason', 'citationUrl', 'explanation', 'ratedAt'],
        properties: {
          party: { type: 'string' },
          goal: { type: 'string' },
          status: { type: 'string', enum: ['in-progress', 'stalled', 'kept', 'partly-kept', 'broken', 'not-checkable'] },
          brokenReason: nullable({ type: 'string', enum: ['no-majority', 'not-a-priority', 'changed-position'] }),
          citationUrl: { type: 'string', format: 'uri', pattern: '^https://' },
          explanation: { type: 'string', minLength: 1, maxLength: 500 },
          ratedAt: dateTime,
          reply: {
            ...nullable(replySchema),
            description: "The party's latest reply to this rating (its right of reply), as for a check; null: none. With `?at=`, the reply that stood then.",
          },
        },
      },
      FollowUpItemEvent: {
        type: 'object',
        additionalProperties: false,
        description:
          'Added in 1.8: one import of an item (its decision and votes as the Kamer recorded them then, and its effect on the goal) or one unlink (taken off its goal, with the public reason). A later import links an unlinked item again.',
        required: ['kind', 'number', 'goal', 'at', 'effect', 'effectChanged', 'decision', 'reason'],
        properties: {
          kind: { type: 'string', enum: ['import', 'unlink'] },
          number: { type: 'string', pattern: '^[0-9]{4}Z[0-9]{5}$' },
          goal: { type: 'string' },
          at: dateTime,
          effect: { ...nullable({ type: 'string', enum: ['advances', 'undermines'] }), description: 'An import: its effect; null for an unlink.' },
          effectChanged: {
            ...nullable({ type: 'boolean' }),
            description: "An import: whether the effect differs from the link's previous import (false for its first); null for an unlink.",
          },
          decision: { ...nullable({ type: 'string' }), description: "An import: the Kamer's decision text then; null for an unlink or when there was none." },
          reason: { ...nullable({ type: 'string' }), description: 'An unlink: why the item was taken off its goal; null for an import.' },
        },
      },
      FollowUpItem: {
        type: 'object',
        additionalProperties: false,
        required: ['number', 'zaakId', 'kind', 'title', 'subject', 'goal', 'effect', 'decision', 'sourceUrl', 'importedAt', 'votes', 'otherFractions'],
        properties: {
          number: { type: 'string', pattern: '^[0-9]{4}Z[0-9]{5}$', description: "The Zaak's number, e.g. 2025Z19039." },
          zaakId: { type: 'string' },
          kind: { type: 'string', description: 'Motie, Amendement, Wetgeving …' },
          title: { type: 'string' },
          subject: nullable({ type: 'string' }),
          goal: { type: 'string' },
          effect: { type: 'string', enum: ['advances', 'undermines'] },
          decision: nullable({
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'text', 'status', 'votingKind', 'date'],
            properties: {
              kind: nullable({ type: 'string' }),
              text: nullable({ type: 'string' }),
              status: nullable({ type: 'string' }),
              votingKind: nullable({ type: 'string' }),
              date: nullable({ type: 'string', format: 'date' }),
            },
          }),
          sourceUrl: { type: 'string', format: 'uri' },
          importedAt: dateTime,
          votes: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['party', 'fraction', 'vote', 'mistake'],
              properties: {
                party: { type: 'string' },
                fraction: { type: 'string' },
                vote: { type: 'string', enum: ['for', 'against', 'did-not-vote', 'split'] },
                mistake: { type: 'boolean' },
              },
            },
          },
          otherFractions: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['fraction', 'vote'],
              properties: { fraction: { type: 'string' }, vote: { type: 'string', enum: ['for', 'against', 'did-not-vote', 'split'] } },
            },
          },
        },
      },
      Campaigns: {
        type: 'object',
        additionalProperties: false,
        required: ['campaigns'],
        properties: {
          campaigns: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['slug', 'name', 'state', 'current', 'election', 'links'],
              properties: {
                slug: { type: 'string' },
                name: { type: 'string' },
                state: { type: 'string', enum: ['open', 'closed', 'follow-up', 'archived'] },
                current: { type: 'boolean', description: 'The campaign the addresses without a campaign show.' },
                election: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['name', 'date'],
                  properties: { name: { type: 'string' }, date: nullable({ type: 'string', format: 'date' }) },
                },
                links: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['page', 'scoreboard', 'events', 'pledgesCsv', 'pledgesWideCsv', 'candidates', 'candidatesCsv', 'feed'],
                  description:
                    'Added in 1.8: followUp (follow-up.json), followUpCsv (follow-up.csv) and followUpFeed (its Atom feed), only for a campaign that shows a follow-up: in the follow-up state, or archived after one.',
                  properties: Object.fromEntries(
                    [
                      'page',
                      'scoreboard',
                      'events',
                      'pledgesCsv',
                      'pledgesWideCsv',
                      'candidates',
                      'candidatesCsv',
                      'feed',
                      'followUp',
                      'followUpCsv',
                      'followUpFeed',
                    ].map((key) => [key, { type: 'string', format: 'uri' }]),
                  ),
                },
              },
            },
          },
        },
      },
      Candidates: {
        type: 'object',
        additionalProperties: false,
        required: ['goals', 'candidates', 'licence'],
        properties: {
          goals: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['slug', 'number', 'title'],
              properties: { slug: { type: 'string' }, number: { type: 'integer' }, title: { type: 'string' } },
            },
          },
          candidates: { type: 'array', items: { $ref: '#/components/schemas/Candidate' } },
          licence: { $ref: '#/components/schemas/Licence' },
        },
      },
      Candidate: {
        type: 'object',
        additionalProperties: false,
        required: [
          'id',
          'party',
          'position',
          'name',
          'initials',
          'firstName',
          'prefix',
          'lastName',
          'gender',
          'place',
          'country',
          'districts',
          'elected',
          'withdrawn',
          'signed',
          'signatures',
        ],
        properties: {
          id: { type: 'integer', minimum: 1, description: "The candidate's id in this campaign (their page: /kandidaten/{id})." },
          party: {
            type: 'object',
            additionalProperties: false,
            required: ['slug', 'name'],
            properties: { slug: { type: 'string' }, name: { type: 'string' } },
          },
          position: { type: 'integer', minimum: 1, description: "The best (lowest) place on any of the party's lists: the list's order." },
          name: { type: 'string', description: 'As the list writes it: first name (or initials), prefix, last name.' },
          initials: { type: 'string' },
          firstName: nullable({ type: 'string' }),
          prefix: nullable({ type: 'string' }),
          lastName: { type: 'string' },
          gender: { ...nullable({ type: 'string', enum: ['male', 'female'] }), description: 'Only where the list allows it to be published; null otherwise.' },
          place: { ...nullable({ type: 'string' }), description: 'Place of residence, as the list gives it.' },
          country: { ...nullable({ type: 'string' }), description: 'Country code of a place of residence abroad; null in the Netherlands.' },
          districts: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['number', 'name', 'listNumber', 'position'],
              properties: {
                number: { type: 'integer', minimum: 0, description: 'The electoral district (kieskring); 0 when the file names it only.' },
                name: nullable({ type: 'string' }),
                listNumber: { type: 'integer', minimum: 1 },
                position: { type: 'integer', minimum: 1 },
              },
            },
          },
          elected: { type: 'boolean' },
          withdrawn: { type: 'boolean', description: 'No longer on the list: kept, with what they signed.' },
          signed: { type: 'boolean', description: 'Committed to every goal.' },
          signatures: {
            type: 'object',
            description: "Per goal slug, the candidate's latest signature; a goal not signed is absent.",
            additionalProperties: {
              type: 'object',
              additionalProperties: false,
              required: ['committed', 'statement', 'signedAt'],
              properties: { committed: { type: 'boolean' }, statement: { type: 'string', maxLength: 280 }, signedAt: dateTime },
            },
          },
        },
      },
      Error: {
        type: 'object',
        additionalProperties: false,
        required: ['error'],
        properties: { error: { type: 'string' } },
      },
      Licence: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'url'],
        properties: { name: { const: 'CC BY 4.0' }, url: { type: 'string', format: 'uri' } },
      },
      Pledge: {
        type: 'object',
        additionalProperties: false,
        required: ['stance', 'statement', 'evidenceUrl', 'updatedAt', 'statementHiddenReason', 'correctedByCampaign', 'check'],
        properties: {
          stance: boardStance,
          statement: nullable({ type: 'string', maxLength: 1000 }),
          evidenceUrl: nullable({ type: 'string', format: 'uri', pattern: '^https://' }),
          updatedAt: nullable(dateTime),
          statementHiddenReason: nullable({ type: 'string' }),
          check: { $ref: '#/components/schemas/Check' },
          correctedByCampaign: nullable({
            type: 'object',
            additionalProperties: false,
            required: ['at', 'reason'],
            description:
              "Added in 1.3: set when the stance and statement shown were saved by the campaign on the party's behalf (a correction), not by the party; null for the party's own words. `at` is when the campaign saved it; `reason` is the campaign's public reason for that version.",
            properties: {
              at: dateTime,
              reason: nullable({
                type: 'string',
                minLength: 1,
                maxLength: 300,
                description:
                  "The campaign's public reason for the correction shown, in its own words (1–300 characters, may contain newlines). Every correction gives one; null only for corrections made before reasons were recorded. With `?at=`, the reason of the version shown then.",
              }),
            },
          }),
        },
      },
      Check: {
        type: 'object',
        additionalProperties: false,
        required: ['status', 'checkedAt', 'reason', 'quote', 'page', 'url', 'reply', 'evidence', 'since', 'sinceFetchedAt'],
        description:
          "Added in 1.7: the campaign's check of the version shown. `verified`: the manifesto says it (`quote`, `page`, `url` of the address checked); `disputed`: `reason` says why; `unchecked`: not yet checked (a new version of a pledge is unchecked again). `reply` is the party's latest reply to the check. Added in 1.8: `evidence`, the copy of the evidence page the check kept, and `since`, what became of that page by the newest fetch of the same address (at `sinceFetchedAt`). With `?at=`, as it stood then. The same object in scoreboard.json and follow-up.json.",
        properties: {
          status: { type: 'string', enum: ['verified', 'disputed', 'unchecked'] },
          checkedAt: nullable(dateTime),
          reason: nullable({ type: 'string', minLength: 1, maxLength: 500 }),
          quote: nullable({ type: 'string', minLength: 1, maxLength: 1000 }),
          page: nullable({ type: 'integer', minimum: 1 }),
          url: nullable({ type: 'string', format: 'uri', pattern: '^https://' }),
          reply: nullable(replySchema),
          evidence: {
            ...nullable({
              type: 'object',
              additionalProperties: false,
              required: ['url', 'finalUrl', 'fetchedAt', 'httpStatus', 'refusal', 'contentType', 'size', 'sha256', 'truncated'],
              properties: {
                url: { type: 'string', format: 'uri', pattern: '^https://', description: 'The address fetched.' },
                finalUrl: { ...nullable({ type: 'string', format: 'uri' }), description: 'Where redirects ended; null when refused.' },
                fetchedAt: dateTime,
                httpStatus: {
                  ...nullable({ type: 'integer', minimum: 100, maximum: 599 }),
                  description: 'The answer of the server; null when the fetch was refused.',
                },
                refusal: {
                  ...nullable({ type: 'string', enum: [...EVIDENCE_FETCH_REASONS] }),
                  description:
                    'Why the page could not be fetched (https only, public addresses only, size and time limits); null when it was. Nothing else of the copy is known then.',
                },
                contentType: nullable({ type: 'string' }),
                size: { ...nullable({ type: 'integer', minimum: 0 }), description: 'Bytes of the body.' },
                sha256: { ...nullable({ type: 'string', pattern: '^[0-9a-f]{64}$' }), description: 'SHA-256 (hex) of the whole body, as fetched.' },
                truncated: { type: 'boolean', description: 'The body was longer than the part kept (the hash and size are of the whole body).' },
              },
            }),
            description: 'The copy of the evidence page the check kept (its body is not published); null when the check fetched nothing.',
          },
          since: {
            ...nullable({ type: 'string', enum: ['unchanged', 'changed', 'gone', 'unreachable'] }),
            description:
              'What became of the kept page by the newest fetch of the same address: unchanged (same bytes), changed (a document, not a web page, whose bytes differ), gone (404 or 410), unreachable (the newest fetch was refused). null: not fetched again, or nothing the two copies prove (a page that was not there, a web page whose bytes differ).',
          },
          sinceFetchedAt: { ...nullable(dateTime), description: 'When the fetch `since` speaks of was made; null when `since` is.' },
        },
      },
      CheckEvent: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'checkedAt', 'party', 'goal', 'version', 'status', 'reason', 'quote', 'page', 'url', 'by'],
        description: "Added in 1.7: one check by the campaign of one version of a pledge (an append-only event of the pledge's public history).",
        properties: {
          id: { type: 'integer' },
          checkedAt: dateTime,
          party: {
            type: 'object',
            additionalProperties: false,
            required: ['slug', 'name'],
            properties: { slug: { type: 'string' }, name: { type: 'string' } },
          },
          goal: { type: 'string' },
          version: { type: 'integer', minimum: 1, description: 'The version of the pledge that was checked (see the events of the same goal).' },
          status: { type: 'string', enum: ['verified', 'disputed'] },
          reason: nullable({ type: 'string' }),
          quote: nullable({ type: 'string' }),
          page: nullable({ type: 'integer', minimum: 1 }),
          url: nullable({ type: 'string', format: 'uri' }),
          by: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'role'],
            properties: { name: { type: 'string' }, role: { const: 'admin' } },
          },
        },
      },
      ReplyEvent: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'repliedAt', 'subject', 'party', 'goal', 'text', 'hiddenReason', 'by'],
        description:
          "Added in 1.8: one reply of a party to the campaign's check of its pledge (`subject.kind` check, `subject.id` a CheckEvent's id) or to a follow-up rating (`follow-up`). Append-only: a later reply to the same subject is shown beside it, the earlier ones stay here. A reply the campaign hid has `text` null and its public reason in `hiddenReason` (always as now, also with `?at=`).",
        properties: {
          id: { type: 'integer' },
          repliedAt: dateTime,
          subject: {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'id'],
            properties: { kind: { type: 'string', enum: ['check', 'follow-up'] }, id: { type: 'integer' } },
          },
          party: {
            type: 'object',
            additionalProperties: false,
            required: ['slug', 'name'],
            properties: { slug: { type: 'string' }, name: { type: 'string' } },
          },
          goal: { type: 'string' },
          text: nullable({ type: 'string', minLength: 1, maxLength: 1000 }),
          hiddenReason: nullable({ type: 'string' }),
          by: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'role'],
            properties: { name: { type: 'string' }, role: { const: 'rep' } },
          },
        },
      },
      Outreach: {
        type: 'object',
        additionalProperties: false,
        required: ['firstAskedAt', 'reminders', 'lastRemindedAt', 'firstAnsweredAt'],
        description:
          'Added in 1.4: how the campaign approached the party, so that "no response" can be checked. It records only that mail went out, never to whom. With `?at=`, as it stood then.',
        properties: {
          firstAskedAt: {
            ...nullable(dateTime),
            description:
              'When the first invitation to anyone of the party went out (sent; or created, where the campaign does not send mail itself). null: no invitation recorded.',
          },
          reminders: {
            type: 'integer',
            minimum: 0,
            description:
              'How many reminders went out to the party: rounds, however many of its representatives each reached. Mail that failed or waits is not counted.',
          },
          lastRemindedAt: { ...nullable(dateTime), description: 'When the latest reminder went out; null when none did.' },
          firstAnsweredAt: {
            ...nullable(dateTime),
            description: 'When the party first saved a pledge itself (a correction by the campaign is not an answer); null when it has not answered.',
          },
        },
      },
      Scoreboard: {
        type: 'object',
        additionalProperties: false,
        required: ['campaign', 'goals', 'parties', 'updatedAt', 'asOf', 'licence'],
        properties: {
          campaign: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'organiser', 'election', 'pledgeDeadline', 'pledgingOpen'],
            properties: {
              name: { type: 'string' },
              organiser: { type: 'string' },
              election: {
                type: 'object',
                additionalProperties: false,
                required: ['name', 'date'],
                properties: { name: { type: 'string' }, date: nullable({ type: 'string', format: 'date' }) },
              },
              pledgeDeadline: {
                ...nullable(dateTime),
                description: 'When pledging closes: the campaign’s deadline, or the one its admins set since; null when there is none.',
              },
              pledgingOpen: {
                type: 'boolean',
                description: 'Whether parties can pledge now: the deadline decides, unless the campaign closed or reopened pledging.',
              },
            },
          },
          goals: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['slug', 'number', 'title'],
              properties: { slug: { type: 'string' }, number: { type: 'integer' }, title: { type: 'string' } },
            },
          },
          parties: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['slug', 'name', 'pledges', 'outreach'],
              properties: {
                slug: { type: 'string' },
                name: { type: 'string' },
                pledges: { type: 'object', additionalProperties: { $ref: '#/components/schemas/Pledge' } },
                outreach: { $ref: '#/components/schemas/Outreach' },
              },
            },
          },
          updatedAt: nullable(dateTime),
          asOf: nullable(dateTime),
          licence: { $ref: '#/components/schemas/Licence' },
        },
      },
      Event: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'occurredAt', 'party', 'goal', 'version', 'stance', 'statement', 'statementHiddenReason', 'evidenceUrl', 'evidencePage', 'by'],
        properties: {
          id: { type: 'integer' },
          occurredAt: dateTime,
          party: {
            type: 'object',
            additionalProperties: false,
            required: ['slug', 'name'],
            properties: { slug: { type: 'string' }, name: { type: 'string' } },
          },
          goal: { type: 'string' },
          version: { type: 'integer', minimum: 1 },
          stance: beforeAfter(nullable(stance), stance),
          statement: beforeAfter(nullable({ type: 'string' })),
          statementHiddenReason: beforeAfter(nullable({ type: 'string' })),
          evidenceUrl: beforeAfter(nullable({ type: 'string', format: 'uri' })),
          evidencePage: beforeAfter(nullable({ type: 'integer', minimum: 1 })),
          by: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'role'],
            properties: { name: { type: 'string' }, role: { type: 'string', enum: ['rep', 'admin', 'system'] } },
          },
        },
      },
      EventsPage: {
        type: 'object',
        additionalProperties: false,
        required: ['events', 'checks', 'replies', 'next', 'asOf', 'licence'],
        properties: {
          events: { type: 'array', items: { $ref: '#/components/schemas/Event' } },
          checks: {
            type: 'array',
            items: { $ref: '#/components/schemas/CheckEvent' },
            description:
              'Added in 1.7: the checks by the campaign of the same selection (party, goal, `at`), newest first. Since 1.8 a page of them (at most `limit`), paged with `checksBefore` (see `next`).',
          },
          replies: {
            type: 'array',
            items: { $ref: '#/components/schemas/ReplyEvent' },
            description:
              'Added in 1.8: the replies of the parties (to a check or a follow-up rating) of the same selection, newest first, at most `limit`, paged with `repliesBefore` (see `next`).',
          },
          next: nullable({ type: 'string' }),
          asOf: nullable(dateTime),
          licence: { $ref: '#/components/schemas/Licence' },
        },
      },
      OembedRich: {
        type: 'object',
        required: ['version', 'type', 'html', 'width', 'height'],
        properties: {
          version: { const: '1.0' },
          type: { const: 'rich' },
          html: { type: 'string' },
          width: { type: 'integer' },
          height: { type: 'integer' },
          title: { type: 'string' },
          provider_name: { type: 'string' },
          provider_url: { type: 'string', format: 'uri' },
          cache_age: { type: 'integer' },
        },
      },
    },
  },
} as const;
