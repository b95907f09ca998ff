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
  private stopped = false;
  /** Heartbeats missed in a row: one slow moment is not an outage, two are. */
  private missedBeats = 0;
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
  async check(timeoutMs = HEARTBEAT_TIMEOUT_MS): Promise<boolean> {
    return this.set(await this.answers(timeoutMs));
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async heartbeat(): Promise<void> {
    if (await this.answers(HEARTBEAT_TIMEOUT_MS)) {
      this.missedBeats = 0;
      this.set(true);
    } else if (++this.missedBeats >= 2) {
      this.set(false);
    }
  }

  private async answers(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
        }),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private schedule(): void {
    clearInterval(this.timer);
    this.timer = this.answering ? setInterval(() => void this.heartbeat(), HEARTBEAT_MS) : setInterval(() => void this.check(), RECOVERY_POLL_MS);
    this.timer.unref(); // never what keeps the process alive
  }

  private set(answering: boolean): boolean {
    // An answer that arrives after stop() (the app is closing) changes nothing.
    if (this.stopped || answering === this.answering) return this.answering;
    this.answering = answering;
    this.missedBeats = 0;
    this.log(answering ? 'The database answers again.' : 'The database does not answer: serving the last good copies of public pages.');
    if (this.timer) this.schedule();
    return this.answering;
  }
}
