/**
 * The front's cache of public responses: one entry per address (path and query), valid for one
 * board version, stored pre-compressed (brotli and gzip) with a strong ETag. A miss compresses
 * only the encoding its reader takes before answering; the other follows at once, off the
 * reader's path (completeEntry). Bounded by count and bytes (see ResponseCache), so odd query
 * strings cannot fill the memory.
 * An entry of an older version is never served as fresh; it stays as the previous copy, given
 * (marked stale) while its successor renders and as the last good copy when the database is down.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { strongEtag } from '../site/etag.ts';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export interface CachedResponse {
  version: number;
  status: number;
  /** Headers as the page set them (no length or encoding: those depend on the variant). */
  headers: Record<string, string | string[]>;
  etag: string;
  identity: Buffer;
  /** Null until made: a miss answers in its reader's encoding, and completeEntry makes the rest. */
  br: Buffer | null;
  gzip: Buffer | null;
}

export type Compressed = 'br' | 'gzip';

export type Encoding = 'br' | 'gzip' | 'identity';

/** The best encoding the client accepts (br before gzip), honouring q=0. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return 'identity';
  // Browsers send a handful of distinct values; parsing each request's anew was a tenth of
  // what a cached answer allocated. Odd values (long, or so many that the memo fills up)
  // cannot crowd out the usual ones for long: a full memo starts over.
  let chosen = chosenEncodings.get(acceptEncoding);
  if (chosen === undefined) {
    chosen = parseAcceptEncoding(acceptEncoding);
    if (acceptEncoding.length <= MAX_REMEMBERED_LENGTH) {
      if (chosenEncodings.size >= MAX_REMEMBERED_ENCODINGS) chosenEncodings.clear();
      chosenEncodings.set(acceptEncoding, chosen);
    }
  }
  return chosen;
}

const MAX_REMEMBERED_ENCODINGS = 256;
const MAX_REMEMBERED_LENGTH = 100;
const chosenEncodings = new Map<string, Encoding>();

function parseAcceptEncoding(acceptEncoding: string): Encoding {
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
    accepted.set(name!, q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

/**
 * A body in one encoding. Measured on a 95 KB page: brotli quality 5 takes 1 ms and is within
 * 1% of quality 9, which takes 65 ms (and this runs on every cache miss); gzip 6 is as small
 * as gzip 9. The output goes in chunks of a quarter of the input: zlib's default of 16 KB made
 * a 2.2 MB page (the 1,000-party board) come back to the main thread a dozen times, which
 * doubled the main thread's share of gzip (8 ms → 4 ms measured).
 */
export function compress(body: Buffer, encoding: Compressed): Promise<Buffer> {
  const chunkSize = Math.max(zlib.constants.Z_DEFAULT_CHUNK, body.length >> 2);
  return encoding === 'br'
    ? brotli(body, { chunkSize, params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : gzip(body, { chunkSize, level: 6 });
}

/** Worth compressing: text of some size (a few hundred bytes would not get smaller). */
export function isCompressible(headers: Record<string, string | string[]>, body: Buffer): boolean {
  const type = String(headers['content-type'] ?? '');
  return (
    body.length >= 1024 && headers['content-encoding'] === undefined && /^(?:text\/|application\/(?:json|xml|atom\+xml|javascript)|image\/svg)/i.test(type)
  );
}

/**
 * An entry with the one variant its first reader takes (`first`): the reader of a miss waits
 * for the render and that compression only. completeEntry makes the others.
 */
export async function prepareEntry(
  version: number,
  status: number,
  headers: Record<string, string | string[]>,
  identity: Buffer,
  first: Encoding,
): Promise<CachedResponse> {
  // Compression runs on libuv's threads: the ETag's hash is worked out on this one meanwhile.
  const compressed = first === 'identity' ? null : compress(identity, first);
  const etag = typeof headers.etag === 'string' ? headers.etag : strongEtag(identity);
  const entry: CachedResponse = { version, status, headers, etag, identity, br: null, gzip: null };
  if (compressed && first !== 'identity') entry[first] = await compressed;
  return entry;
}

const completing = new WeakMap<CachedResponse, Promise<void>>();

/**
 * Makes an entry's missing variants (once, however often asked). A variant that cannot be made
 * is left out: whoever needs it gets it on its own (variantOf), so nothing a reader waits for
 * hangs on a failed compression.
 */
export function completeEntry(entry: CachedResponse): Promise<void> {
  let done = completing.get(entry);
  if (!done) {
    const missing = (['br', 'gzip'] as const).filter((encoding) => entry[encoding] === null);
    done = Promise.all(
      missing.map(async (encoding) => {
        const body = await compress(entry.identity, encoding).catch(() => null);
        if (body !== null && entry[encoding] === null) entry[encoding] = body;
      }),
    ).then(() => undefined);
    completing.set(entry, done);
  }
  return done;
}

/** The entry's body in an encoding: at once when it is made, else once completeEntry made it. */
export async function variantOf(entry: CachedResponse, encoding: Encoding): Promise<Buffer> {
  if (encoding === 'identity') return entry.identity;
  const made = entry[encoding];
  if (made) return made;
  await completeEntry(entry);
  return entry[encoding] ?? (entry[encoding] = await compress(entry.identity, encoding));
}

/**
 * Bounded by count and bytes. Eviction is "second chance", a close cousin of least recently
 * used that costs a reader nothing but a flag: entries go out in the order they came in, except
 * that one read since the last sweep sends it to the back of the line once.
 */
export class ResponseCache {
  /** Each entry with its size when it was last counted (its variants are made after it is kept). */
  private entries = new Map<string, { entry: CachedResponse; read: boolean; bytes: number }>();
  private bytes = 0;
  readonly maxEntries: number;
  readonly maxBytes: number;

  constructor({ maxEntries = 5000, maxBytes = 64 * 1024 * 1024 } = {}) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  get size(): number {
    return this.entries.size;
  }

  get storedBytes(): number {
    return this.bytes;
  }

  /** The entry for this address, whatever its version (the caller decides fresh or stale). */
  get(key: string): CachedResponse | undefined {
    const slot = this.entries.get(key);
    if (!slot) return undefined;
    slot.read = true;
    return slot.entry;
  }

  set(key: string, entry: CachedResponse): void {
    this.delete(key);
    const bytes = sizeOf(entry);
    this.entries.set(key, { entry, read: false, bytes });
    this.bytes += bytes;
    this.evictBeyondBounds(key);
  }

  /** An entry that is kept got bigger (its other variants were made): count them, if it still is. */
  grew(key: string, entry: CachedResponse): void {
    const slot = this.entries.get(key);
    if (slot?.entry !== entry) return;
    const bytes = sizeOf(entry);
    this.bytes += bytes - slot.bytes;
    slot.bytes = bytes;
    this.evictBeyondBounds(key);
  }

  private evictBeyondBounds(key: string): void {
    let newcomerSpared = false;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.entries().next().value;
      if (oldest === undefined) break;
      const [oldestKey, slot] = oldest;
      // A full sweep can bring the newcomer to the front: it gets its chance too, once.
      const spare = slot.read || (oldestKey === key && !newcomerSpared);
      if (!spare) {
        this.delete(oldestKey);
        continue;
      }
      if (oldestKey === key) newcomerSpared = true;
      slot.read = false;
      this.entries.delete(oldestKey);
      this.entries.set(oldestKey, slot);
    }
  }

  delete(key: string): void {
    const slot = this.entries.get(key);
    if (!slot) return;
    this.entries.delete(key);
    this.bytes -= slot.bytes;
  }
}

function sizeOf(entry: CachedResponse): number {
  return entry.identity.length + (entry.br?.length ?? 0) + (entry.gzip?.length ?? 0);
}
