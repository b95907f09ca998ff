/**
 * Whether the database answers, as far as this instance knows. A heartbeat asks every few
 * seconds (and a failing page or form, or /readyz, asks at once), so an outage is noticed
 * without anyone having to look; while the database is down it asks every second, so the
 * instance recovers by itself. While it is down, cached pages are served marked stale.
 */
const HEARTBEAT_MS = 2000;
const RECOVERY_POLL_MS = 1000;
/** The heartbeat is patient: a busy moment is not an outage. */
const HEARTBEAT_TIMEOUT_MS = 3000;

export class DatabaseHealth {
  private answering = true;
  private timer: NodeJS.Timeout | undefined;
  private readonly ping: () => Promise<void>;
  private readonly log: (line: string) => void;

  constructor(ping: () => Promise<void>, log: (line: string) => void = console.log) {
    this.ping = ping;
    this.log = log;
    this.schedule();
  }

  get up(): boolean {
    return this.answering;
  }

  /** Asks the database now; true when it answered within the time limit. */
  async check(timeoutMs = 1500): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
        }),
      ]);
      this.set(true);
    } catch {
      this.set(false);
    } finally {
      clearTimeout(timer);
    }
    return this.answering;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.stop();
    this.timer = this.answering
      ? setInterval(() => void this.check(HEARTBEAT_TIMEOUT_MS), HEARTBEAT_MS)
      : setInterval(() => void this.check(), RECOVERY_POLL_MS);
    this.timer.unref(); // never what keeps the process alive
  }

  private set(answering: boolean): void {
    if (answering === this.answering) return;
    this.answering = answering;
    this.log(answering ? 'The database answers again.' : 'The database does not answer: serving the last good copies of public pages.');
    if (this.timer) this.schedule();
  }
}
