/**
 * Whether the database answers, as far as this instance knows. It learns of an outage when a
 * page or form fails (or /readyz asks), then checks every second until the database is back,
 * so the instance recovers by itself. While it is down, cached pages are served marked stale.
 */
export class DatabaseHealth {
  private answering = true;
  private timer: NodeJS.Timeout | undefined;
  private readonly ping: () => Promise<void>;
  private readonly log: (line: string) => void;

  constructor(ping: () => Promise<void>, log: (line: string) => void = console.log) {
    this.ping = ping;
    this.log = log;
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

  private set(answering: boolean): void {
    if (answering === this.answering) return;
    this.answering = answering;
    this.log(answering ? 'The database answers again.' : 'The database does not answer: serving the last good copies of public pages.');
    if (answering) {
      this.stop();
    } else if (!this.timer) {
      this.timer = setInterval(() => void this.check(), 1000);
      this.timer.unref();
    }
  }
}
