/**
 * Runs the scheduled reminders (src/domain/reminders.ts) in every instance, once a minute: the
 * domain's claim makes each reminder go out once however many instances run this. The timer
 * is unref'd (it never keeps the process alive) and stopped on shutdown, after the round in
 * progress. The CLI's `send-reminders` calls the same function with a moment of its choosing.
 */
import type { Db } from '../db/client.ts';
import { SYSTEM_ACTOR, type Actor } from '../domain/actors.ts';
import { loadCampaigns, type CampaignWithGoals } from '../domain/campaigns.ts';
import { runDueReminders, type ReminderCampaign, type ReminderRunReport } from '../domain/reminders.ts';
import { mailContextFor } from '../i18n/routes.ts';

type CampaignReminders = ReminderCampaign & { campaignName: Record<'nl' | 'en', string> };

function remindersOf({ campaign, goals }: CampaignWithGoals): CampaignReminders {
  return {
    campaignId: campaign.id,
    campaignSlug: campaign.slug,
    deadline: campaign.pledgeDeadline,
    goalSlugs: goals.nl.map((goal) => goal.slug),
    campaignName: campaign.name,
  };
}

/**
 * The one place the server and the CLI read a campaign's deadline and goals for reminders, as
 * the database has them now. Also what the mail sender checks a waiting reminder against (is
 * it still wanted?). A campaign that is gone has no deadline and no goals: nothing is wanted.
 */
export async function reminderCampaign(db: Db, campaignId: number): Promise<CampaignReminders> {
  const found = (await loadCampaigns(db)).find((c) => c.campaign.id === campaignId);
  return found ? remindersOf(found) : { campaignId, deadline: null, goalSlugs: [], campaignName: { nl: '', en: '' } };
}

export interface RunRemindersOptions {
  siteUrl: string;
  sending: boolean;
  now?: Date;
  actor?: Actor;
}

/** One run now: every due reminder not sent yet goes out (the reports say what was sent). */
export async function sendDueReminders(
  db: Db,
  { siteUrl, sending, now = new Date(), actor = SYSTEM_ACTOR }: RunRemindersOptions,
): Promise<ReminderRunReport[]> {
  // Every campaign that takes pledges (runDueReminders checks its deadline and override too).
  const reports: ReminderRunReport[] = [];
  for (const found of await loadCampaigns(db)) {
    if (found.campaign.state !== 'open') continue;
    const { campaignName, ...campaign } = remindersOf(found);
    reports.push(...(await runDueReminders(db, mailContextFor(campaignName, siteUrl, sending), now, { ...campaign, actor })));
  }
  return reports;
}

export interface ReminderWorker {
  stop(): Promise<void>;
}

export function startReminderWorker(
  db: Db,
  {
    siteUrl,
    sending,
    intervalMs = 60_000,
    log = console.log,
    onSent,
  }: {
    siteUrl: string;
    sending: boolean;
    intervalMs?: number;
    log?: (line: string) => void;
    /** After a round that reminded a party: the public record changed (PGlite tells no listener). */
    onSent?: () => void;
  },
): ReminderWorker {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = sendDueReminders(db, { siteUrl, sending })
      .then((reports) => {
        if (reports.some((r) => r.reminded.length > 0)) onSent?.();
        for (const r of reports) {
          log(
            r.passedOver
              ? `Reminder ${r.daysBefore} days before the deadline passed over (a later one was due too).`
              : `Reminder ${r.daysBefore} days before the deadline sent to ${r.reminded.length} parties${r.noRecipients.length ? `; no representative for ${r.noRecipients.join(', ')}` : ''}.`,
          );
        }
      })
      .catch((error: unknown) => log(`Reminders: this round failed, the next one tries again (${error instanceof Error ? error.message : String(error)}).`))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
