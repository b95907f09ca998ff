/**
 * The client's address, for sign-in limits and the audit log. X-Forwarded-For is believed only
 * on a connection from a configured proxy (TRUST_PROXY): anyone else could write any address
 * there and get a fresh sign-in budget with each request. Of the header's entries, the client
 * is the right-most one that is not itself a trusted proxy: each trusted proxy appends the
 * address it saw, and everything left of the first untrusted entry was written by the client.
 */
import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

export interface TrustedProxies {
  has(address: string): boolean;
}

/** IPv4 addresses arrive on dual-stack sockets as ::ffff:a.b.c.d. */
function normalise(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** A matcher for TRUST_PROXY's addresses and CIDR networks (already checked by config.ts). */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return {
    has(raw) {
      const address = normalise(raw);
      const family = isIP(address);
      return family !== 0 && entries.length > 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

export function clientIpOf(req: IncomingMessage, { trustedProxies: proxies }: { trustedProxies: TrustedProxies }): string {
  const peer = normalise(req.socket.remoteAddress ?? '');
  if (!peer) return 'unknown';
  if (!proxies.has(peer)) return peer;
  const entries = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((entry) => normalise(entry.trim()))
    .filter((entry) => isIP(entry) !== 0);
  for (let i = entries.length - 1; i >= 0; i--) {
    if (!proxies.has(entries[i]!)) return entries[i]!;
  }
  // Nothing but proxies: the farthest one is the best we know.
  return entries[0] ?? peer;
}
