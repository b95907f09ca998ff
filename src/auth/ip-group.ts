/**
 * The address a sign-in limit counts an IP under. One IPv4 address is one client, but anyone
 * with IPv6 usually has a whole /64 (often far more) to pick from, so counting single IPv6
 * addresses would let one machine rotate past every per-IP limit. IPv6 clients are counted per
 * /64; an IPv4 address mapped into IPv6 (`::ffff:192.0.2.1`) is its IPv4 address.
 */
import { isIPv4, isIPv6 } from 'node:net';

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The eight 16-bit groups of an IPv6 address, in full (an embedded IPv4 tail as two groups). */
function groupsOf(address: string): string[] {
  let text = address.toLowerCase();
  const ipv4Tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (ipv4Tail) {
    const [a, b, c, d] = ipv4Tail[1]!.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -ipv4Tail[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const middle = tail === undefined ? [] : Array<string>(8 - front.length - back.length).fill('0');
  return [...front, ...middle, ...back].map((group) => group.replace(/^0+(?=.)/, ''));
}

export function ipGroupOf(ip: string): string {
  const mapped = MAPPED_IPV4.exec(ip);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  // A zone (`fe80::1%eth0`) names the interface, not the client.
  const address = ip.split('%')[0]!;
  if (!isIPv6(address)) return ip;
  return `${groupsOf(address).slice(0, 4).join(':')}::/64`;
}
