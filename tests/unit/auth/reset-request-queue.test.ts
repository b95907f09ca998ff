/**
 * The queue of answered "forgot password" requests (src/auth/forgot-password.ts): every
 * request is handled however the drains interleave, the drain waits for a timer (never at
 * once, never before the request's answer is out), and the queue holds at most its cap.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DRAIN_DELAY_MS, ResetRequestQueue, type ResetRequest, type ResetWork } from '../../../src/auth/forgot-password.ts';
import type { Db } from '../../../src/db/client.ts';

const db = {} as Db;
const request = (email: string): ResetRequest => ({ email, locale: 'nl', ip: '192.0.2.1', now: new Date(), mail: {} as ResetRequest['mail'] });

function recordingQueue(options: { cap?: number; delayMs?: () => number; log?: (line: string) => void } = {}) {
  const handled: string[] = [];
  const work: ResetWork = async (_db, r) => void handled.push(r.email);
  return { queue: new ResetRequestQueue(db, { work, log: () => {}, ...options }), handled };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the reset request queue', () => {
  it('handles every request through add, add, drain, drain, add, drain (the queue empty at a drain)', async () => {
    const { queue, handled } = recordingQueue();
    const [a, b, c] = [request('a@x.example'), request('b@x.example'), request('c@x.example')];
    queue.add(a);
    queue.add(b);
    queue.answered(a);
    queue.answered(b);
    await queue.drain();
    await queue.drain(); // nothing left: it must not leave the queue stuck
    expect(handled).toEqual(['a@x.example', 'b@x.example']);
    queue.add(c);
    queue.answered(c);
    await queue.drain();
    expect(handled).toEqual(['a@x.example', 'b@x.example', 'c@x.example']);
    expect(queue.size).toBe(0);
    await queue.idle();
  });

  it('handles requests added while a drain runs, and idle waits for all of them', async () => {
    const handled: string[] = [];
    const late = request('late@x.example');
    const work: ResetWork = async (_db, r) => {
      handled.push(r.email);
      if (r.email === 'first@x.example') {
        queue.add(late);
        queue.answered(late);
      }
    };
    const queue: ResetRequestQueue = new ResetRequestQueue(db, { work, log: () => {}, delayMs: () => 60_000 });
    const first = request('first@x.example');
    queue.add(first);
    queue.answered(first);
    await queue.drain();
    expect(handled).toEqual(['first@x.example', 'late@x.example']);
    await queue.idle();
  });

  it('a request that fails is logged without its address and the next is still handled', async () => {
    const lines: string[] = [];
    const handled: string[] = [];
    const work: ResetWork = async (_db, r) => {
      if (r.email === 'kapot@x.example') throw new Error('database gone');
      handled.push(r.email);
    };
    const queue = new ResetRequestQueue(db, { work, log: (line) => lines.push(line) });
    for (const email of ['kapot@x.example', 'heel@x.example']) queue.add(request(email));
    await queue.idle();
    expect(handled).toEqual(['heel@x.example']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('database gone');
    expect(lines[0]).not.toContain('kapot@');
  });

  it('takes the queue up on a timer after the answer, with a random wait, not when the answer goes out', async () => {
    vi.useFakeTimers();
    const delays: number[] = [];
    const { queue, handled } = recordingQueue({ delayMs: () => (delays.push(delays.length ? 400 : 120), delays.at(-1)!) });
    const a = request('a@x.example');
    queue.add(a);
    await vi.advanceTimersByTimeAsync(1000);
    expect(handled).toEqual([]); // not answered yet: never handled before its answer
    expect(queue.scheduled).toBe(false);
    queue.answered(a);
    expect(queue.scheduled).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(handled).toEqual([]); // not at once
    await vi.advanceTimersByTimeAsync(119);
    expect(handled).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(handled).toEqual(['a@x.example']);
    expect(queue.scheduled).toBe(false);
    // A timer armed for one answer does not take up a request whose answer is not out yet.
    const [b, c] = [request('b@x.example'), request('c@x.example')];
    queue.add(b);
    queue.answered(b);
    queue.add(c);
    await vi.advanceTimersByTimeAsync(400);
    expect(handled).toEqual(['a@x.example', 'b@x.example']);
    expect(queue.size).toBe(1);
    await queue.idle(); // a stop handles what waits, answered or not
    expect(handled).toEqual(['a@x.example', 'b@x.example', 'c@x.example']);
    expect(queue.scheduled).toBe(false);
  });

  it('waits a random time between the bounds by default', async () => {
    vi.useFakeTimers();
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const waits = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const queue = new ResetRequestQueue(db, { work: async () => {}, log: () => {} });
      const r = request(`r${i}@x.example`);
      queue.add(r);
      queue.answered(r);
      const wait = spy.mock.calls.at(-1)![1]!;
      expect(wait).toBeGreaterThanOrEqual(DRAIN_DELAY_MS.min);
      expect(wait).toBeLessThanOrEqual(DRAIN_DELAY_MS.max);
      waits.add(wait);
      await queue.idle();
    }
    expect(waits.size).toBeGreaterThan(5);
  });

  it('holds at most its cap: a request past it is dropped with a log line (no address)', async () => {
    const lines: string[] = [];
    const { queue, handled } = recordingQueue({ cap: 3, log: (line) => lines.push(line) });
    const added = ['a', 'b', 'c', 'd', 'e'].map((name) => queue.add(request(`${name}@x.example`)));
    expect(added).toEqual([true, true, true, false, false]);
    expect(queue.size).toBe(3);
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toContain('@x.example');
    await queue.idle();
    expect(handled).toEqual(['a@x.example', 'b@x.example', 'c@x.example']);
    // Room again once handled.
    expect(queue.add(request('f@x.example'))).toBe(true);
    await queue.idle();
  });
});
