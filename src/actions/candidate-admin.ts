/**
 * Candidates in Beheer (admins only, the campaign of the address): uploading the Kiesraad's
 * candidate file (EML_NL 230 or its CSV), the same steps as the CLI's import-candidates, and
 * marking a candidate elected after the election. A file that does not parse, or has a list
 * that matches no party of the campaign, is refused whole: nothing is written, and the error
 * says where (its line and field) or which lists, in a form the page reads back
 * (`uploadProblemOf`).
 */
import { ActionError, type ActionErrorCode } from 'astro:actions';
import { z } from 'zod';
import { importCandidates } from '../domain/candidate-import.ts';
import { CandidateListError, mergeCandidateLists, parseCandidateListFile } from '../domain/candidate-lists/index.ts';
import { setElected } from '../domain/candidates.ts';
import type { Locale } from '../domain/campaign.ts';
import { requestOf, requireAdmin } from './context.ts';
import { defineAction, failure } from './errors.ts';
import { id, slug } from './fields.ts';

/** The largest candidate file taken (a municipal election's 40,000 candidates are some 15 MB of XML). */
const MAX_CANDIDATE_FILE_BYTES = 50 * 1024 * 1024;

/** Why an upload was refused, beyond one message key: read back by the page. */
export type UploadProblem =
  | { kind: 'parse'; line: number | null; field: string | null; path: string | null; reason: Record<Locale, string> }
  | { kind: 'unmatched'; lists: { groupName: string; listNumbers: number[]; reason: 'none' | 'several' | 'shared'; party?: string }[] };

const UPLOAD_PREFIX = 'upload:';

function uploadFailure(code: ActionErrorCode, problem: UploadProblem): ActionError {
  return new ActionError({ code, message: UPLOAD_PREFIX + JSON.stringify(problem) });
}

/** The problem an upload's error carries, or null for any other error (a message key then). */
export function uploadProblemOf(error: unknown): UploadProblem | null {
  const message = (error as Error | undefined)?.message ?? '';
  if (!message.startsWith(UPLOAD_PREFIX)) return null;
  try {
    return JSON.parse(message.slice(UPLOAD_PREFIX.length)) as UploadProblem;
  } catch {
    return null;
  }
}

export const candidateAdminActions = {
  /** The Kiesraad's candidate lists into the campaign of the address: all of the file, or nothing. */
  importCandidateFile: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const { actor } = requireAdmin(context);
      const files = form.getAll('file');
      const [file] = files;
      if (files.length !== 1 || !(file instanceof File) || file.size === 0) throw failure('BAD_REQUEST', 'candidateUpload.noFile');
      if (file.size > MAX_CANDIDATE_FILE_BYTES) throw failure('CONTENT_TOO_LARGE', 'candidateUpload.tooBig');
      let lists;
      try {
        lists = mergeCandidateLists(parseCandidateListFile(new Uint8Array(await file.arrayBuffer())).lists);
      } catch (error) {
        if (!(error instanceof CandidateListError)) throw error;
        throw uploadFailure('BAD_REQUEST', {
          kind: 'parse',
          line: error.line,
          field: error.field,
          path: error.path,
          reason: { nl: error.reasonNl, en: error.reason },
        });
      }
      const { db } = requestOf(context);
      const result = await importCandidates(db, context.locals.campaign.campaign.id, lists, { actor });
      switch (result.status) {
        case 'done':
          return { added: result.added, updated: result.updated, withdrawn: result.withdrawn, parties: result.parties };
        case 'unmatched':
          throw uploadFailure('BAD_REQUEST', { kind: 'unmatched', lists: result.lists });
        case 'empty':
          throw failure('BAD_REQUEST', 'candidateUpload.empty');
        case 'archived':
          throw failure('CONFLICT', 'campaign.archived');
        case 'unknown-campaign':
          throw failure('NOT_FOUND', 'candidateUpload.unknownCampaign');
      }
    },
  }),

  /** Marks one candidate of the campaign elected (`elected=true`) or not. */
  setCandidateElected: defineAction({
    accept: 'form',
    input: z.object({ candidate: id, elected: z.enum(['true', 'false'], { error: 'form.unknown' }), party: slug.optional() }),
    handler: async ({ candidate, elected, party }, context) => {
      const { actor } = requireAdmin(context);
      const { db, ip } = requestOf(context);
      const result = await setElected(db, context.locals.campaign.campaign.id, candidate, elected === 'true', { actor, ip });
      switch (result.status) {
        case 'done':
          return { candidate, elected: elected === 'true', party: party ?? null };
        case 'forbidden':
          throw failure('FORBIDDEN', 'auth.adminsOnly');
        case 'unknown-candidate':
          throw failure('NOT_FOUND', 'candidate.unknown');
        case 'archived':
          throw failure('CONFLICT', 'campaign.archived');
      }
    },
  }),
};
