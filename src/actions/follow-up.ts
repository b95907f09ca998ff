/**
 * Follow-up in Beheer (admins only, the campaign of the address): rating a party's pledge on a
 * goal, linking a Tweede Kamer Zaak to a goal (by number from the open data API, or a saved
 * OData response uploaded), and mapping a parliamentary fraction to a party once. The same
 * steps as the CLI's import-zaak and map-fraction; a Zaak that cannot be read writes nothing,
 * and its error (its code, said in the admin's language, and the parser's own words naming the
 * field) is read back by the page. A wrongly linked item is unlinked after a confirm step.
 * And the party's right of reply: its representative answers a rating of its own pledge
 * (Mijn partij), as replyToCheck does for a check (src/domain/replies.ts).
 */
import { ActionError } from 'astro:actions';
import { z } from 'zod';
import { rateFollowUp } from '../domain/follow-up.ts';
import { linkZaak, setFractionMapping, UNLINK_REASON_MAX, unlinkItem } from '../domain/parliament/items.ts';
import { fetchZaak } from '../domain/parliament/tk-client.ts';
import { parseZaakResponse, ZaakError, type ZaakErrorCode, type ZaakItem } from '../domain/parliament/zaak.ts';
import type { MessageKey } from '../i18n/ui.ts';
import { addReply } from '../domain/replies.ts';
import { requestOf, requireAdmin, requireSignedIn } from './context.ts';
import { confirmed, defineAction, failure, invalidFields, requireConfirm } from './errors.ts';
import { formField, optionalText, slug, text } from './fields.ts';

/** A saved response of one Zaak is well under this (the CLI takes the same). */
const MAX_ZAAK_FILE_BYTES = 8 * 1024 * 1024;
const ZAAK_PREFIX = 'zaak:';

/** What each way a Zaak cannot be read means for the admin (in src/i18n/ui.ts, both languages). */
const ZAAK_ERROR_MESSAGES: Record<ZaakErrorCode, MessageKey> = {
  invalid: 'followUp.zaakError.invalid',
  incomplete: 'followUp.zaakError.incomplete',
  'not-found': 'followUp.zaakError.not-found',
  ambiguous: 'followUp.zaakError.ambiguous',
  'bad-json': 'followUp.zaakError.bad-json',
  'too-large': 'followUp.zaakError.too-large',
  unreadable: 'followUp.zaakError.unreadable',
  'bad-number': 'followUp.zaakError.bad-number',
  timeout: 'followUp.zaakError.timeout',
  network: 'followUp.zaakError.network',
  http: 'followUp.zaakError.http',
};

export interface ZaakProblem {
  /** The message for the error summary, in the admin's language. */
  message: MessageKey;
  /** The field it is about: the number asked for, or the file sent. */
  field: 'number' | 'file';
  /** The parser's or the API's own words (English; names the field of the response). */
  detail: string;
}

/** Why a Zaak could not be read, from the action's error; null for any other error. */
export function zaakProblemOf(error: unknown): ZaakProblem | null {
  const message = (error as Error | undefined)?.message ?? '';
  if (!message.startsWith(ZAAK_PREFIX)) return null;
  const { code, field, detail } = JSON.parse(message.slice(ZAAK_PREFIX.length)) as { code: ZaakErrorCode; field: ZaakProblem['field']; detail: string };
  return { message: ZAAK_ERROR_MESSAGES[code] ?? 'followUp.admin.importFailed', field, detail };
}

async function zaakOf(form: FormData, baseUrl: string | undefined): Promise<ZaakItem> {
  const number = formField(form, 'number');
  const files = form.getAll('file').filter((f) => f instanceof File && f.size > 0);
  if (number === null || files.length > 1) throw failure('BAD_REQUEST', 'form.unknown');
  const file = files[0] as File | undefined;
  if (!file && !number) throw invalidFields({ number: 'followUp.admin.numberOrFile' });
  try {
    if (file) {
      if (file.size > MAX_ZAAK_FILE_BYTES) throw new ZaakError('too-large', 'the file is larger than 8 MB; not a single zaak');
      let json: unknown;
      try {
        json = JSON.parse((await file.text()).replace(/^\uFEFF/, ''));
      } catch (error) {
        throw new ZaakError('bad-json', `not JSON (${(error as Error).message})`);
      }
      return parseZaakResponse(json, number?.trim().toUpperCase());
    }
    return await fetchZaak(number!, { baseUrl });
  } catch (error) {
    if (error instanceof ZaakError)
      throw new ActionError({
        code: error.code === 'network' || error.code === 'timeout' ? 'BAD_GATEWAY' : 'BAD_REQUEST',
        message: ZAAK_PREFIX + JSON.stringify({ code: error.code, field: file ? 'file' : 'number', detail: error.message }),
      });
    throw error;
  }
}

export const followUpActions = {
  /** One rating of a party's pledge on a goal, with its citation. */
  rateFollowUp: defineAction({
    accept: 'form',
    input: z.object({
      party: slug,
      goal: slug,
      status: text(40, 'followUp.error.status'),
      brokenReason: optionalText(40, 'followUp.error.brokenReason'),
      citationUrl: optionalText(2000, 'followUp.error.citation'),
      explanation: optionalText(2000, 'followUp.error.explanation'),
    }),
    handler: async (input, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip } = requestOf(context);
      const result = await rateFollowUp(
        db,
        context.locals.campaign.campaign.id,
        {
          partySlug: input.party,
          goalSlug: input.goal,
          status: input.status,
          brokenReason: input.brokenReason ?? null,
          citationUrl: input.citationUrl ?? '',
          explanation: input.explanation ?? '',
        },
        { actor, ip },
      );
      switch (result.status) {
        case 'done':
          return { party: input.party, goal: input.goal };
        case 'invalid':
          throw invalidFields(result.issues);
        case 'forbidden':
          throw failure('FORBIDDEN', 'auth.adminsOnly');
        case 'unknown-campaign':
        case 'unknown-party':
        case 'unknown-goal':
          throw failure('NOT_FOUND', 'followUp.admin.unknown');
        case 'wrong-state':
          throw failure('CONFLICT', 'followUp.admin.wrongState');
        case 'archived':
          throw failure('CONFLICT', 'campaign.archived');
      }
    },
  }),

  /** A representative's reply to a rating of its own party's pledge (the same rules as replyToCheck). */
  replyToFollowUp: defineAction({
    accept: 'form',
    input: z.object({ rating: text(20, 'reply.subject'), text: text(4000, 'reply.textTooLong') }),
    handler: async ({ rating, text: reply }, context) => {
      const { actor } = requireSignedIn(context);
      const { db, ip } = requestOf(context);
      const result = await addReply(db, context.locals.campaign.campaign.id, { subject: 'follow-up', subjectId: rating, text: reply }, { actor, ip });
      switch (result.status) {
        case 'done':
          return { rating: Number(rating) };
        case 'invalid':
          throw invalidFields(result.issues);
        case 'forbidden':
          throw failure('FORBIDDEN', 'reply.forbiddenFollowUp');
        case 'unknown-subject':
          throw failure('NOT_FOUND', 'reply.subject');
        case 'archived':
          throw failure('CONFLICT', 'campaign.archived');
        case 'limited':
          throw failure('TOO_MANY_REQUESTS', 'reply.limited');
      }
    },
  }),

  /** A Zaak linked to a goal (or its link updated), by number or from a saved response. */
  importZaak: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const { actor } = requireAdmin(context);
      const goal = formField(form, 'goal');
      // Without an effect, an item already linked keeps its own (a new one advances its goal).
      const effect = formField(form, 'effect') ?? undefined;
      if (!goal) throw invalidFields({ goal: 'form.required' });
      const item = await zaakOf(form, context.locals.app.config.tkODataUrl);
      const { db, ip } = requestOf(context);
      const result = await linkZaak(db, context.locals.campaign.campaign.id, { goalSlug: goal, effect, item }, { actor, ip });
      switch (result.status) {
        case 'done':
          return { number: item.number, created: result.created, unmatched: result.match.unmatched.map((u) => u.fraction) };
        case 'forbidden':
          throw failure('FORBIDDEN', 'auth.adminsOnly');
        case 'unknown-goal':
        case 'unknown-campaign':
          throw failure('NOT_FOUND', 'followUp.admin.unknown');
        case 'bad-effect':
        case 'bad-number':
          throw failure('BAD_REQUEST', 'form.unknown');
        case 'archived':
          throw failure('CONFLICT', 'campaign.archived');
      }
    },
  }),

  /** Takes a wrongly linked item off its goal, with a reason for the record; asks first (confirm=ja). */
  unlinkItem: defineAction({
    accept: 'form',
    input: z.object({
      goal: slug,
      number: text(20),
      reason: text(UNLINK_REASON_MAX, 'followUp.admin.unlinkReasonInvalid'),
      confirm: confirmed,
    }),
    handler: async ({ goal, number, reason, confirm }, context) => {
      const { actor } = requireAdmin(context);
      requireConfirm(confirm);
      const { db, ip } = requestOf(context);
      const result = await unlinkItem(db, context.locals.campaign.campaign.id, { goalSlug: goal, number, reason }, { actor, ip });
      switch (result.status) {
        case 'done':
          return { number, goal };
        case 'bad-reason':
          throw invalidFields({ reason: 'followUp.admin.unlinkReasonInvalid' });
        case 'forbidden':
          throw failure('FORBIDDEN', 'auth.adminsOnly');
        case 'not-linked':
        case 'unknown-campaign':
          throw failure('NOT_FOUND', 'followUp.admin.notLinked');
        case 'archived':
          throw failure('CONFLICT', 'campaign.archived');
      }
    },
  }),

  /** Says once which party a fraction is; an empty party: none of the campaign's. */
  mapFraction: defineAction({
    accept: 'form',
    input: z.object({ fraction: text(200), party: slug.optional() }),
    handler: async ({ fraction, party }, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip } = requestOf(context);
      const result = await setFractionMapping(db, context.locals.campaign.campaign.id, { fraction, partySlug: party ?? null }, { actor, ip });
      switch (result.status) {
        case 'done':
          return { fraction: fraction.trim() };
        case 'forbidden':
          throw failure('FORBIDDEN', 'auth.adminsOnly');
        case 'unknown-party':
        case 'unknown-campaign':
        case 'bad-fraction':
          throw failure('BAD_REQUEST', 'followUp.admin.unknown');
        case 'archived':
          throw failure('CONFLICT', 'campaign.archived');
      }
    },
  }),
};
