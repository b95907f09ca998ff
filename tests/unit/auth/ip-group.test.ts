import { describe, expect, it } from 'vitest';
import { ipGroupOf } from '../../../src/auth/ip-group.ts';

describe('the address a sign-in limit counts an IP under', () => {
  it('counts every address of one IPv6 /64 as one client, however it is written', () => {
    const group = ipGroupOf('2001:db8:1:2::1');
    expect(group).toBe('2001:db8:1:2::/64');
    for (const ip of [
      '2001:db8:1:2::ffff',
      '2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd',
      '2001:DB8:1:2:0:0:0:7',
      '2001:db8:1:2::1%eth0',
      '2001:db8:1:2::192.0.2.1',
    ]) {
      expect(ipGroupOf(ip), ip).toBe(group);
    }
  });

  it('keeps other /64s apart', () => {
    expect(ipGroupOf('2001:db8:1:3::1')).not.toBe(ipGroupOf('2001:db8:1:2::1'));
    expect(ipGroupOf('::1')).toBe('0:0:0:0::/64');
    expect(ipGroupOf('fe80::1')).toBe('fe80:0:0:0::/64');
  });

  it('counts IPv4 addresses one by one, mapped into IPv6 or not', () => {
    expect(ipGroupOf('192.0.2.1')).toBe('192.0.2.1');
    expect(ipGroupOf('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(ipGroupOf('192.0.2.2')).not.toBe(ipGroupOf('192.0.2.1'));
  });

  it('leaves what is no address as it is', () => {
    expect(ipGroupOf('unknown')).toBe('unknown');
  });
});
