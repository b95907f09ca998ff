/**
 * Keeps a copy of the page a pledge links to as evidence: fetches the address once, on the
 * server, and hands back what came (hash, size, type, time, the first part of the body), so a
 * manifesto changed or taken down later can be shown as such. No database here: the caller
 * stores the result.
 *
 * The address comes from a party's representative, so the fetch must not become a way into our
 * own network (SSRF). The rules, each a reason code in `EvidenceFetchRefused`:
 * - https only (also on every redirect), no user:password@ in the address, port 443 only (a
 *   manifesto is on a public web site; other ports are where admin consoles live).
 * - Every address the host name resolves to must be a public internet address (`isPublicAddress`,
 *   classified by ipaddr.js, not by hand-written ranges). The check runs inside the connection's
 *   own `lookup`, so the socket connects to exactly the address that was checked: no second DNS
 *   lookup for a rebinding attacker to answer differently. The connected socket's address is
 *   checked once more before anything is sent.
 * - Redirects are followed by hand (at most 5), each hop checked like the first.
 * - One time limit for the whole fetch (DNS, connect, TLS, redirects, body); a byte limit on
 *   what is read, counted after decompression (no gzip bombs). A body over the limit is refused
 *   rather than hashed in part, so `sha256` always means the whole response body.
 * - No cookies: none are sent and Set-Cookie is never read; a fixed User-Agent names us.
 * An HTTP error from the site (404, 410, 500) is a result, not a refusal: a page taken down is
 * a fact worth keeping, with the status and the hash of what came back.
 */
import { createHash } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import ipaddr from 'ipaddr.js';

export const EVIDENCE_FETCH_REASONS = [
  'invalid-url',
  'not-https',
  'credentials-in-url',
  'port-not-allowed',
  'address-not-public',
  'dns-failed',
  'connection-failed',
  'tls-failed',
  'too-many-redirects',
  'bad-redirect',
  'too-large',
  'timeout',
  'bad-response',
] as const;
export type EvidenceFetchReason = (typeof EVIDENCE_FETCH_REASONS)[number];

/** The fetch was refused or failed; `reason` is for the UI to translate, `message` is English. */
export class EvidenceFetchRefused extends Error {
  readonly reason: EvidenceFetchReason;
  /** The address of the hop that was refused (the given one, or where a redirect pointed). */
  readonly url: string;
  /** Redirects followed before the refusal, in order. */
  readonly redirects: readonly string[];
  constructor(reason: EvidenceFetchReason, message: string, url: string, redirects: readonly string[]) {
    super(message);
    this.name = 'EvidenceFetchRefused';
    this.reason = reason;
    this.url = url;
    this.redirects = redirects;
  }
}

export interface EvidencePage {
  /** The address the body came from, after redirects. */
  finalUrl: string;
  /** The site's HTTP status: 404 or 410 is kept as a fact, not thrown. */
  status: number;
  contentType: string | null;
  /** Bytes of the whole body (decompressed). */
  size: number;
  /** SHA-256 (hex) of the whole body (decompressed). */
  sha256: string;
  /** The body up to `keepBytes`. */
  body: Buffer;
  /** True when `body` holds only the first `keepBytes` of `size`. */
  truncated: boolean;
  fetchedAt: Date;
  /** Every address redirected to, in order (the last is `finalUrl`). */
  redirects: string[];
}

export interface EvidenceFetchOptions {
  /** For the whole fetch, redirects included. Default 10 s. */
  timeoutMs?: number;
  /** Most body bytes read (after decompression); more is refused as too-large. Default 10 MiB. */
  maxBytes?: number;
  /** Most body bytes handed back in `body`. Default 1 MiB. */
  keepBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Ports that may be fetched. Default [443]. Tests name their server's port; production keeps the default. */
  ports?: readonly number[];
  /**
   * Which resolved addresses may be connected to. Default `isPublicAddress`. Tests only (to reach
   * their server on 127.0.0.1): production must keep the default.
   */
  allowAddress?: (address: string) => boolean;
  /** Name resolution; default the system's (dns.lookup, all addresses). Tests map their own names. */
  resolve?: (hostname: string) => Promise<readonly LookupAddress[]>;
  /** Extra trusted certificate authorities (tests); default Node's own list. */
  ca?: string | Buffer | readonly (string | Buffer)[];
  /** Stops the fetch from outside (e.g. on shutdown); its reason is thrown as it is. */
  signal?: AbortSignal;
}

const USER_AGENT = 'Pledgeboard-evidence-check/1 (keeps a copy of the page a pledge links to)';
const ACCEPT = 'text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.1';
const MAX_URL_LENGTH = 2000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MiB = 1024 * 1024;

const DEFAULTS = {
  timeoutMs: 10_000,
  // Party manifestos are often PDFs of several megabytes; only `keepBytes` is held in memory,
  // the rest only passes through the hash.
  maxBytes: 10 * MiB,
  keepBytes: 1 * MiB,
  maxRedirects: 5,
  ports: [443] as readonly number[],
};

// NAT64's well-known prefix carries an IPv4 address in its last 32 bits (RFC 6052): on an
// IPv6-only network every IPv4 site looks like this, and the gateway connects to the IPv4
// address inside, so that address is what must be public.
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');
// IANA's global unicast space: IPv6 outside it (the old IPv4-compatible ::a.b.c.d among them) is
// not the public internet, whatever name ipaddr.js gives its range.
const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

/**
 * What kind of address this is: 'public', or the name ipaddr.js gives its special range
 * ('loopback', 'private', 'linkLocal', 'uniqueLocal', 'carrierGradeNat', 'unspecified',
 * 'multicast', 'broadcast', 'reserved', '6to4', 'teredo', …), or 'invalid'. IPv4-mapped
 * (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses are judged by the IPv4 address inside.
 */
export function addressRange(address: string): string {
  if (!ipaddr.isValid(address)) return 'invalid';
  let ip = ipaddr.process(address); // unwraps ::ffff:a.b.c.d
  if (ip.kind() === 'ipv6' && ip.match(NAT64)) ip = ipaddr.fromByteArray(ip.toByteArray().slice(12));
  const range = ip.range();
  if (range !== 'unicast') return range;
  if (ip.kind() === 'ipv6' && !ip.match(GLOBAL_UNICAST)) return 'notGlobalUnicast';
  return 'public';
}

/** The default policy: only addresses of the public internet. */
export function isPublicAddress(address: string): boolean {
  return addressRange(address) === 'public';
}

/** A refusal found before the hop's address is known to the caller; given it in `fetchEvidence`. */
class Refusal extends Error {
  readonly reason: EvidenceFetchReason;
  constructor(reason: EvidenceFetchReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

function refuseAddress(hostname: string, address: string): Refusal {
  const range = addressRange(address);
  const kind = range === 'public' ? 'an address this fetcher is not allowed to reach' : `a non-public (${range}) address`;
  return new Refusal('address-not-public', `${hostname} resolves to ${address}, ${kind}; only public internet addresses are fetched.`);
}

function portOf(url: URL): number {
  return url.port === '' ? 443 : Number(url.port);
}

/** The rules an address must meet before any network traffic, for the first hop and each redirect. */
function checkUrl(url: URL, ports: readonly number[], allowAddress: (address: string) => boolean): void {
  if (url.protocol !== 'https:') throw new Refusal('not-https', `Only https:// addresses are fetched, not ${url.protocol}//.`);
  if (url.username !== '' || url.password !== '') throw new Refusal('credentials-in-url', 'The address holds a user name or password.');
  if (!ports.includes(portOf(url))) throw new Refusal('port-not-allowed', `Only the standard https port is fetched, not port ${url.port}.`);
  // An address written as an IP skips name resolution, so the lookup below never sees it.
  const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(literal) !== 0 && !allowAddress(literal)) throw refuseAddress(literal, literal);
}

function parseGiven(input: string): URL {
  // As src/domain/https-url.ts explains, the URL parser reads "https:evil.example" as
  // https://evil.example/; the text itself must say https://.
  if (input.length > MAX_URL_LENGTH) throw new Refusal('invalid-url', `The address is longer than ${MAX_URL_LENGTH} characters.`);
  if (!URL.canParse(input)) throw new Refusal('invalid-url', 'This is not a web address.');
  if (!input.startsWith('https://')) throw new Refusal('not-https', 'Only https:// addresses are fetched.');
  return new URL(input);
}

const systemResolve = (hostname: string) =>
  new Promise<LookupAddress[]>((resolve, reject) => {
    dnsLookup(hostname, { all: true, order: 'verbatim' }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

/**
 * The connection's own name lookup: resolves, refuses if ANY address is not allowed (one
 * private address among public ones is an attacker's hedge), and hands the socket exactly the
 * checked addresses.
 */
function guardedLookup(resolve: (hostname: string) => Promise<readonly LookupAddress[]>, allowAddress: (address: string) => boolean): LookupFunction {
  return (hostname, options, callback) => {
    const answer = (error: Error | null, addresses: LookupAddress[] = []) => {
      if (error) return callback(error, '', 0);
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    };
    resolve(hostname).then(
      (found) => {
        const refused = found.find(({ address }) => !allowAddress(address));
        if (refused) return answer(refuseAddress(hostname, refused.address));
        const wanted = options.family === 4 || options.family === 6 ? found.filter(({ family }) => family === options.family) : [...found];
        if (wanted.length === 0) return answer(new Refusal('dns-failed', `${hostname} has no address.`));
        answer(null, wanted);
      },
      (error: NodeJS.ErrnoException) => answer(new Refusal('dns-failed', `${hostname} could not be found (${error.code ?? error.message}).`)),
    );
  };
}

interface Hop {
  url: URL;
  signal: AbortSignal;
  ca: EvidenceFetchOptions['ca'];
  lookup: LookupFunction;
  allowAddress: (address: string) => boolean;
}

/** One GET, resolved when the response headers arrive. */
function get({ url, signal, ca, lookup, allowAddress }: Hop): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    let phase: 'connecting' | 'handshake' | 'connected' = 'connecting';
    const request = https.request(url, {
      method: 'GET',
      // A fresh connection for each hop: no socket reused from a check made for another host,
      // and no proxy from the environment (NODE_USE_ENV_PROXY), whose own address is all the
      // lookup would then see.
      agent: false,
      lookup,
      signal,
      ...(ca === undefined ? {} : { ca: ca as string | Buffer | (string | Buffer)[] }),
      headers: { 'user-agent': USER_AGENT, accept: ACCEPT, 'accept-encoding': 'gzip, deflate, br' },
    });
    request.once('socket', (socket: Socket) => {
      socket.once('connect', () => {
        phase = 'handshake';
        // Belt and braces: the lookup checked the address; make sure it is the one connected to.
        const remote = socket.remoteAddress;
        if (remote === undefined || !allowAddress(remote)) socket.destroy(refuseAddress(url.hostname, remote ?? 'an unknown address'));
      });
      socket.once('secureConnect', () => (phase = 'connected'));
    });
    request.once('response', resolve);
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof Refusal || signal.aborted) return reject(error);
      if (phase === 'handshake') return reject(new Refusal('tls-failed', `The secure connection to ${url.host} failed: ${error.message}`));
      reject(new Refusal('connection-failed', `Could not connect to ${url.host} (${error.code ?? error.message}).`));
    });
    request.end();
  });
}

/**
 * The response body, decompressed, as one stream (an error in either ends it). The compressed
 * bytes count against the limit too: a stream that inflates to nothing also ends.
 */
function decoded(response: IncomingMessage, tooLarge: () => Refusal, maxBytes: number): Readable {
  const encoding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : null;
  if (decoder) {
    let wire = 0;
    response.on('data', (chunk: Buffer) => {
      wire += chunk.length;
      if (wire > maxBytes) response.destroy(tooLarge());
    });
    return pipeline(response, decoder, () => {});
  }
  if (encoding === 'identity' || encoding === '') return response;
  throw new Refusal('bad-response', `The site sent the body in an encoding this fetcher does not read (${encoding}).`);
}

interface Read {
  size: number;
  sha256: string;
  body: Buffer;
  truncated: boolean;
}

async function readBody(response: IncomingMessage, maxBytes: number, keepBytes: number): Promise<Read> {
  const tooLarge = () => new Refusal('too-large', `The page is larger than ${maxBytes} bytes; only pages up to that size are kept.`);
  const declared = Number(response.headers['content-length']);
  if (!response.headers['content-encoding'] && declared > maxBytes) throw tooLarge();
  const hash = createHash('sha256');
  const kept: Buffer[] = [];
  let size = 0;
  let keptSize = 0;
  try {
    for await (const chunk of decoded(response, tooLarge, maxBytes) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge();
      hash.update(chunk);
      if (keptSize < keepBytes) {
        const part = chunk.subarray(0, keepBytes - keptSize);
        kept.push(part);
        keptSize += part.length;
      }
    }
  } catch (error) {
    if (error instanceof Refusal) throw error;
    const cause = response.errored ?? error;
    if (cause instanceof Refusal) throw cause;
    throw new Refusal('bad-response', `The page could not be read to its end (${(cause as Error).message}).`);
  } finally {
    response.destroy();
  }
  return { size, sha256: hash.digest('hex'), body: Buffer.concat(kept), truncated: size > keptSize };
}

/**
 * Fetches `input` once under the rules above. Resolves with what the site answered (any HTTP
 * status); rejects with `EvidenceFetchRefused` (reason code + English message) when a rule
 * refuses it or the network fails, or with `options.signal`'s reason when that aborts.
 */
export async function fetchEvidence(input: string, options: EvidenceFetchOptions = {}): Promise<EvidencePage> {
  // Field by field: an option given as undefined means the default too.
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
  const keepBytes = options.keepBytes ?? DEFAULTS.keepBytes;
  const maxRedirects = options.maxRedirects ?? DEFAULTS.maxRedirects;
  const ports = options.ports ?? DEFAULTS.ports;
  const allowAddress = options.allowAddress ?? isPublicAddress;
  const lookup = guardedLookup(options.resolve ?? systemResolve, allowAddress);
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const redirects: string[] = [];
  let current = input;
  try {
    let url = parseGiven(input);
    for (;;) {
      checkUrl(url, ports, allowAddress);
      const response = await get({ url, signal, ca: options.ca, lookup, allowAddress });
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(status) && location !== undefined) {
        response.destroy();
        if (redirects.length >= maxRedirects) throw new Refusal('too-many-redirects', `The site redirected more than ${maxRedirects} times.`);
        if (!URL.canParse(location, url)) throw new Refusal('bad-redirect', 'The site redirected to something that is not a web address.');
        url = new URL(location, url);
        current = url.href;
        redirects.push(url.href);
        continue;
      }
      const contentType = response.headers['content-type'] ?? null;
      const read = await readBody(response, maxBytes, keepBytes);
      return { finalUrl: url.href, status, contentType, ...read, fetchedAt: new Date(), redirects };
    }
  } catch (error) {
    if (deadline.aborted) throw new EvidenceFetchRefused('timeout', `The site did not answer in full within ${timeoutMs / 1000} s.`, current, redirects);
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof Refusal) throw new EvidenceFetchRefused(error.reason, error.message, current, redirects);
    throw error;
  }
}
