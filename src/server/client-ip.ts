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

/** An entry as proxies write it: an address, maybe with a port (`a.b.c.d:p`, `[v6]:p`). '' if none. */
function addressOf(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  const address = normalise(bracketed?.[1] ?? withPort?.[1] ?? entry);
  return isIP(address) !== 0 ? address : '';
}

export function clientIpOf(req: IncomingMessage, { trustedProxies: proxies }: { trustedProxies: TrustedProxies }): string {
  const peer = normalise(req.socket.remoteAddress ?? '');
  if (!peer) return 'unknown';
  if (!proxies.has(peer)) return peer;
  const entries = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // From the right: each entry was written by the trusted proxy to its right. The first one
  // that is not a proxy is the client. One that cannot be read is not skipped (what lies left
  // of it is the client's own writing): the proxy that wrote it is the best we know.
  let nearest = peer;
  for (let i = entries.length - 1; i >= 0; i--) {
    const address = addressOf(entries[i]!);
    if (!address) return nearest;
    if (!proxies.has(address)) return address;
    nearest = address;
  }
  return nearest;
}
