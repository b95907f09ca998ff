/**
 * The candidates' own path: inviting a candidate (an admin, or a representative of the
 * candidate's party: the domain decides) and a candidate signing their campaign's goals in one
 * form (`<goal slug>.committed` yes/no, `<goal slug>.statement`). Only the candidate's own
 * account signs for them.
 */
import { getCampaign } from '../site/content.ts';
import { z } from 'zod';
import { inviteCandidate } from '../domain/candidate-invites.ts';
import { findCandidateById, maySignFor, signGoals as signGoalsInDomain, SIGNATURE_STATEMENT_MAX_LENGTH, type SignatureInput } from '../domain/candidates.ts';
import type { FieldIssues } from '../domain/field-issues.ts';
import { linkPath } from '../i18n/routes.ts';
import { campaignDirectory } from '../site/campaigns.ts';
import { mailContextOf, requestOf, requireSignedIn } from './context.ts';
import { defineAction, failure, invalidFields } from './errors.ts';
import { formField, id, optionalText } from './fields.ts';

/** The name of one goal's field in the signing form: `<goal slug>.<field>`. */
export const signatureFieldName = (goalSlug: string, field: 'committed' | 'statement') => `${goalSlug}.${field}`;

export const candidateActions = {
  /** Invites one candidate at one address, mailed in the chosen language. */
  inviteCandidate: defineAction({
    accept: 'form',
    input: z.object({
      candidate: id,
      email: optionalText(256, 'email.invalid'),
      locale: z.enum(['nl', 'en'], { error: 'form.unknown' }),
    }),
    handler: async ({ candidate, email, locale }, context) => {
      const { actor } = requireSignedIn(context);
      const { db, ip, siteUrl } = requestOf(context);
      const mail = mailContextOf(context);
      const result = await inviteCandidate(
        db,
        { campaignId: getCampaign(context).id, candidateId: candidate, email: email ?? '', locale },
        { actor, ip, mail },
      );
      switch (result.status) {
        case 'created':
          return { candidate, email: result.link.email ?? '', url: siteUrl + linkPath('invite', result.token, locale), mailSent: mail.sending };
        case 'invalid':
          throw invalidFields(result.issues);
        case 'forbidden':
          throw failure('FORBIDDEN', 'candidate.inviteForbidden');
        case 'archived':
          throw failure('FORBIDDEN', 'campaign.archived');
        case 'unknown-candidate':
          throw failure('NOT_FOUND', 'candidate.unknown');
        case 'withdrawn':
          throw failure('CONFLICT', 'candidate.withdrawn');
        case 'has-account':
          throw failure('CONFLICT', 'candidate.hasAccount');
      }
    },
  }),

  /** A candidate's signatures on every goal of their campaign, in one save. */
  signGoals: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const { actor } = requireSignedIn(context);
      const candidateId = id.safeParse(Number(formField(form, 'candidate')));
      if (!candidateId.success || !maySignFor(actor, candidateId.data)) throw failure('FORBIDDEN', 'signature.forbidden');
      const { db, ip } = requestOf(context);
      const own = await findCandidateById(db, candidateId.data);
      const campaign = own && (await campaignDirectory(context.locals.app)).find((c) => c.campaign.id === own.candidate.campaignId);
      if (!own || !campaign) throw failure('NOT_FOUND', 'candidate.unknown');
      const goals = campaign.goals.nl;
      const issues: FieldIssues = {};
      const signatures: SignatureInput[] = [];
      for (const goal of goals) {
        const committed = formField(form, signatureFieldName(goal.slug, 'committed'));
        // The domain's limit, checked here too so that one answer names every problem at once.
        const statement = optionalText(SIGNATURE_STATEMENT_MAX_LENGTH * 4, 'signature.statementTooLong')
          .refine((value) => value === undefined || value.trim().length <= SIGNATURE_STATEMENT_MAX_LENGTH, 'signature.statementTooLong')
          .safeParse(formField(form, signatureFieldName(goal.slug, 'statement')) ?? undefined);
        if (committed !== 'yes' && committed !== 'no')
          issues[signatureFieldName(goal.slug, 'committed')] = committed === undefined ? 'signature.chooseOne' : 'form.unknown';
        if (!statement.success) issues[signatureFieldName(goal.slug, 'statement')] = statement.error.issues[0]?.message ?? 'form.unknown';
        if (committed === 'yes' || committed === 'no') {
          if (statement.success) signatures.push({ goalSlug: goal.slug, committed: committed === 'yes', statement: statement.data ?? '' });
        }
      }
      if (Object.keys(issues).length > 0) throw invalidFields(issues);
      const result = await signGoalsInDomain(db, {
        campaignId: campaign.campaign.id,
        candidateId: candidateId.data,
        goalSlugs: goals.map((g) => g.slug),
        signatures,
        actor,
        ip,
      });
      switch (result.status) {
        case 'signed':
          return { changed: result.changed };
        case 'invalid':
          throw invalidFields(
            Object.fromEntries(
              Object.entries(result.issues).flatMap(([goalSlug, fields]) => Object.entries(fields).map(([field, key]) => [`${goalSlug}.${field}`, key])),
            ),
          );
        case 'forbidden':
          throw failure('FORBIDDEN', 'signature.forbidden');
        case 'closed':
          throw failure('FORBIDDEN', 'signature.closed');
        case 'unknown-candidate':
          throw failure('NOT_FOUND', 'candidate.unknown');
        case 'unknown-goal':
          throw failure('NOT_FOUND', 'pledge.unknownGoal');
      }
    },
  }),
};
