/**
 * The reminder schedule (admins, Beheer → Herinneringen) and a representative's choice of
 * notices (account page). Fields are read by hand so that a field sent twice is refused, not
 * silently taken once.
 */
import { addReminder, removeReminder } from '../domain/reminders.ts';
import { setMailPreferences } from '../domain/users.ts';
import { requestOf, requireAdmin, requireSignedIn } from './context.ts';
import { defineAction, failure, invalidFields } from './errors.ts';
import { formField, id } from './fields.ts';

/** A checkbox: absent is off, "on" is on; anything else (sent twice, another value) is a bad form. */
function checkbox(form: FormData, name: string): boolean {
  const value = formField(form, name);
  if (value === undefined) return false;
  if (value === 'on') return true;
  throw invalidFields({ [name]: 'form.unknown' });
}

export const reminderActions = {
  addReminder: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const { actor } = requireAdmin(context);
      const raw = formField(form, 'daysBefore');
      if (raw === null) throw invalidFields({ daysBefore: 'form.unknown' });
      if (raw === undefined) throw invalidFields({ daysBefore: 'reminder.days' });
      const { db, ip } = requestOf(context);
      const result = await addReminder(db, context.locals.campaign.campaign.id, raw, { actor, ip });
      if (result.status === 'invalid') throw invalidFields({ daysBefore: result.message });
      if (result.status === 'duplicate') throw invalidFields({ daysBefore: 'reminder.duplicate' }, 'CONFLICT');
      return { added: true };
    },
  }),

  removeReminder: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const { actor } = requireAdmin(context);
      const raw = formField(form, 'reminder');
      const parsed = id.safeParse(typeof raw === 'string' && /^\d{1,10}$/.test(raw) ? Number(raw) : NaN);
      if (!parsed.success) throw failure('BAD_REQUEST', 'form.unknown');
      const { db, ip } = requestOf(context);
      if ((await removeReminder(db, context.locals.campaign.campaign.id, parsed.data, { actor, ip })) === 'unknown')
        throw failure('NOT_FOUND', 'reminder.unknown');
      return { removed: true };
    },
  }),

  setMailPreferences: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const { auth } = requireSignedIn(context);
      if (auth.user.role !== 'rep') throw failure('FORBIDDEN', 'notices.repsOnly');
      const locale = formField(form, 'locale');
      if (locale !== 'nl' && locale !== 'en') throw failure('BAD_REQUEST', 'form.unknown');
      const preferences = { colleagueChanges: checkbox(form, 'colleagueChanges'), campaignChanges: checkbox(form, 'campaignChanges'), locale } as const;
      const { db, ip } = requestOf(context);
      await setMailPreferences(db, auth.user, preferences, { ip });
      return { saved: true };
    },
  }),
};
