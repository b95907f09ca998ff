import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DatabaseHealth } from '../../src/server/database-health.ts';

describe('knowing whether the database answers', () => {
  let answering = true;
  const ping = () => (answering ? Promise.resolve() : Promise.reject(new Error('connection refused')));
  let health: DatabaseHealth;
  const lines: string[] = [];

  beforeEach(() => {
    vi.useFakeTimers();
    answering = true;
    lines.length = 0;
    health = new DatabaseHealth(ping, (line) => lines.push(line));
  });
  afterEach(() => {
    health.stop();
    vi.useRealTimers();
  });

  it('notices an outage by its own heartbeat: one missed beat is a busy moment, two are an outage', async () => {
    answering = false;
    await vi.advanceTimersByTimeAsync(2000);
    expect(health.up).toBe(true);
    await vi.advanceTimersByTimeAsync(2000);
    expect(health.up).toBe(false);
    expect(lines).toEqual(['The database does not answer: serving the last good copies of public pages.']);
  });

  it('a single missed beat followed by an answer is forgotten', async () => {
    answering = false;
    await vi.advanceTimersByTimeAsync(2000);
    answering = true;
    await vi.advanceTimersByTimeAsync(2000);
    answering = false;
    await vi.advanceTimersByTimeAsync(2000);
    expect(health.up).toBe(true);
  });

  it('while down, asks every second and recovers by itself', async () => {
    answering = false;
    expect(await health.check()).toBe(false); // a failing page asks at once
    answering = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(health.up).toBe(true);
    expect(lines.at(-1)).toBe('The database answers again.');
  });

  it('after stop, a late answer changes nothing and no timer runs', async () => {
    health.stop();
    answering = false;
    expect(await health.check()).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(health.up).toBe(true);
    expect(lines).toEqual([]);
  });
});
