/**
 * Campaigns in Beheer (admins only): a new campaign, its steps (publish, close, follow-up,
 * archive), which one is current, and its texts and goals. Fields are read by hand so that a
 * field sent twice is refused, not silently taken once; the rules live in
 * src/domain/campaign-admin.ts.
 */
import {
  addGoal,
  createCampaign,
  deleteGoal,
  GOAL_FIELDS,
  isCampaignStep,
  NEW_CAMPAIGN_FIELDS,
  PROFILE_FIELDS,
  setCampaignState,
  updateCampaignProfile,
  updateGoal,
  type FormInput,
  type GoalWriteResult,
} from '../domain/campaign-admin.ts';
import { bySlug, loadCampaigns, makeCurrent } from '../domain/campaigns.ts';
import { getCampaign } from '../site/content.ts';
import { requestOf, requireAdmin } from './context.ts';
import { defineAction, failure, invalidFields } from './errors.ts';
import { formField } from './fields.ts';

/** The named fields of a form (undefined when empty); a field sent twice is refused. Other fields are ignored. */
function readFields(form: FormData, names: readonly string[]): FormInput {
  const values: FormInput = {};
  const doubled: Record<string, string> = {};
  for (const name of names) {
    const value = formField(form, name);
    if (value === null) doubled[name] = 'form.unknown';
    else values[name] = value;
  }
  if (Object.keys(doubled).length > 0) throw invalidFields(doubled);
  return values;
}

/** The one field that names what to act on (a campaign's or a goal's slug); missing or doubled is a bad form. */
function requiredField(form: FormData, name: string): string {
  const value = formField(form, name);
  if (typeof value !== 'string' || value.length > 100) throw failure('BAD_REQUEST', 'form.unknown');
  return value;
}

/** As the confirm step sends it (`confirm=ja`); without it a hard step answers 409 and changes nothing. */
function requireConfirm(form: FormData): void {
  const value = formField(form, 'confirm');
  if (value === null || (value !== undefined && value !== 'ja')) throw failure('BAD_REQUEST', 'form.unknown');
  if (value !== 'ja') throw failure('CONFLICT', 'admin.confirmFirst');
}

function goalFailure(result: Exclude<GoalWriteResult, { status: 'done' }>) {
  switch (result.status) {
    case 'invalid':
      return invalidFields(result.issues);
    case 'archived':
      return failure('CONFLICT', 'campaign.archived');
    case 'unknown-campaign':
      return failure('NOT_FOUND', 'campaigns.unknown');
    case 'unknown-goal':
      return failure('NOT_FOUND', 'campaign.goalUnknown');
    case 'published':
      return failure('CONFLICT', 'campaign.goalFixed');
  }
}

export const campaignActions = {
  createCampaign: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const { actor } = requireAdmin(context);
      const input = readFields(form, NEW_CAMPAIGN_FIELDS);
      const { db, ip } = requestOf(context);
      const result = await createCampaign(db, input, { actor, ip });
      if (result.status === 'invalid') throw invalidFields(result.issues);
      return { slug: result.slug };
    },
  }),

  /** publish, close, follow-up, archive, unarchive: each asks "are you sure?" first. */
  setCampaignState: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const { actor } = requireAdmin(context);
      const slug = requiredField(form, 'campaign');
      const step = requiredField(form, 'step');
      if (!isCampaignStep(step)) throw failure('BAD_REQUEST', 'form.unknown');
      requireConfirm(form);
      const { db, ip } = requestOf(context);
      const result = await setCampaignState(db, slug, step, { actor, ip });
      if (result === 'unknown-campaign') throw failure('NOT_FOUND', 'campaigns.unknown');
      if (result === 'wrong-state') throw failure('CONFLICT', 'campaigns.wrongState');
      if (result === 'no-goals') throw failure('CONFLICT', 'campaigns.noGoals');
      return { slug, step };
    },
  }),

  makeCampaignCurrent: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const { actor } = requireAdmin(context);
      const slug = requiredField(form, 'campaign');
      requireConfirm(form);
      const { db, ip } = requestOf(context);
      const target = bySlug(await loadCampaigns(db), slug);
      if (!target) throw failure('NOT_FOUND', 'campaigns.unknown');
      const result = await makeCurrent(db, target.campaign.id, { actor, ip });
      if (result === 'draft') throw failure('CONFLICT', 'campaigns.draftNotCurrent');
      if (result === 'unchanged') throw failure('CONFLICT', 'campaigns.alreadyCurrent');
      if (result === 'unknown-campaign') throw failure('NOT_FOUND', 'campaigns.unknown');
      return { slug, step: 'current' };
    },
  }),

  /** The texts of the campaign the page is for (`/campagnes/<slug>/beheer/campagne`). */
  updateCampaign: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const { actor } = requireAdmin(context);
      const input = readFields(form, PROFILE_FIELDS);
      const { db, ip } = requestOf(context);
      const result = await updateCampaignProfile(db, getCampaign(context).id, input, { actor, ip });
      if (result.status !== 'done') throw goalFailure(result);
      return { saved: 'profile' };
    },
  }),

  updateGoal: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const { actor } = requireAdmin(context);
      const goal = requiredField(form, 'goal');
      const input = readFields(form, [...GOAL_FIELDS, 'newSlug']);
      const { db, ip } = requestOf(context);
      const result = await updateGoal(db, getCampaign(context).id, goal, input, { actor, ip });
      if (result.status !== 'done') throw goalFailure(result);
      return { saved: input.newSlug ?? goal };
    },
  }),

  addGoal: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const { actor } = requireAdmin(context);
      const input = readFields(form, [...GOAL_FIELDS, 'slug', 'number']);
      const { db, ip } = requestOf(context);
      const result = await addGoal(db, getCampaign(context).id, input, { actor, ip });
      if (result.status !== 'done') throw goalFailure(result);
      return { saved: input.slug ?? '' };
    },
  }),

  /** Only a draft's goal; asks "are you sure?" first. */
  deleteGoal: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const { actor } = requireAdmin(context);
      const goal = requiredField(form, 'goal');
      requireConfirm(form);
      const { db, ip } = requestOf(context);
      const result = await deleteGoal(db, getCampaign(context).id, goal, { actor, ip });
      if (result.status !== 'done') throw goalFailure(result);
      return { deleted: goal };
    },
  }),
};
