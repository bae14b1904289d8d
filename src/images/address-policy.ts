import { BlockList, isIP } from 'node:net';

/** Not the public internet: IANA special-purpose ranges (RFC 6890 and successors). */
const SPECIAL_V4: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const SPECIAL_V6: [string, number][] = [
  ['::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];
/** Cloud instance metadata endpoints: refused even when an operator exempts their range. */
const METADATA = [
  '169.254.169.254',
  '169.254.170.2',
  '169.254.170.23',
  '100.100.100.200',
  '168.63.129.16',
  '192.0.0.192',
  'fd00:ec2::254',
];

function blockList(subnets: [string, number][], type: 'ipv4' | 'ipv6', into = new BlockList()): BlockList {
  for (const [net, prefix] of subnets) into.addSubnet(net, prefix, type);
  return into;
}

const special = blockList(SPECIAL_V6, 'ipv6', blockList(SPECIAL_V4, 'ipv4'));
const metadata = new BlockList();
for (const ip of METADATA) metadata.addAddress(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** The IPv4 address a NAT64 (64:ff9b::/96) address stands for, so it is judged like that address. */
function nat64Target(ip: string): string | null {
  const m = /^64:ff9b::(?:ffff:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip) ?? null;
  if (m?.[1] && m[2]) {
    const hi = parseInt(m[1], 16);
    const lo = parseInt(m[2], 16);
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
  }
  const dotted = /^64:ff9b::(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return dotted?.[1] ?? null;
}

function typeOf(ip: string): 'ipv4' | 'ipv6' | null {
  const v = isIP(ip);
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : null;
}

/** `a.b.c.d/n`, `x::/n` or a bare address. */
export function parseCidr(cidr: string): { net: string; prefix: number; type: 'ipv4' | 'ipv6' } | null {
  const [net, rawPrefix, extra] = cidr.trim().split('/');
  const type = net ? typeOf(net) : null;
  if (!net || !type || extra !== undefined) return null;
  const max = type === 'ipv4' ? 32 : 128;
  const prefix = rawPrefix === undefined ? max : /^\d{1,3}$/.test(rawPrefix) ? Number(rawPrefix) : NaN;
  return Number.isInteger(prefix) && prefix >= 0 && prefix <= max ? { net, prefix, type } : null;
}

/**
 * Which resolved addresses the server may fetch images from: public unicast only. Loopback,
 * private, link-local, CGNAT, multicast, documentation and other special ranges are refused,
 * IPv4-mapped and NAT64 forms included. `allowCidrs` (IMAGE_FETCH_ALLOW_CIDRS) exempts ranges an
 * operator trusts, never the metadata endpoints.
 */
export class AddressPolicy {
  private readonly exempt = new BlockList();

  constructor(allowCidrs: readonly string[] = []) {
    for (const raw of allowCidrs) {
      const cidr = parseCidr(raw);
      if (!cidr) throw new Error(`IMAGE_FETCH_ALLOW_CIDRS: '${raw}' is not an address or CIDR range.`);
      this.exempt.addSubnet(cidr.net, cidr.prefix, cidr.type);
    }
  }

  allows(address: string): boolean {
    const ip = address.replace(/^\[|\]$/g, '').toLowerCase();
    const type = typeOf(ip);
    if (!type) return false;
    const target = type === 'ipv6' ? nat64Target(ip) : null;
    if (target !== null) return this.allows(target);
    if (metadata.check(ip, type)) return false;
    return !special.check(ip, type) || this.exempt.check(ip, type);
  }
}
