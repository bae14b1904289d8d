import { AddressPolicy, parseCidr } from './address-policy';

describe('AddressPolicy', () => {
  const policy = new AddressPolicy();

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback v6'],
    ['0.0.0.0', 'this host'],
    ['::', 'unspecified v6'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.10', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local v6'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata v6'],
    ['100.100.100.200', 'metadata (Alibaba)'],
    ['168.63.129.16', 'metadata (Azure)'],
    ['100.64.0.1', 'CGNAT'],
    ['fc00::1', 'unique local'],
    ['fd12:3456::1', 'unique local'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast v6'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'documentation'],
    ['2001:db8::1', 'documentation v6'],
    ['198.18.0.1', 'benchmarking'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback (hex)'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of metadata'],
    ['64:ff9b::10.0.0.1', 'NAT64 of private'],
    ['2002:7f00:1::', '6to4'],
    ['2001::1', 'Teredo'],
    ['[::1]', 'bracketed'],
    ['not-an-ip', 'a host name'],
  ])('refuses %s (%s)', (ip) => {
    expect(policy.allows(ip)).toBe(false);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '2606:4700::6810:84e5',
    '64:ff9b::5db8:d822',
    '::ffff:8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
  ])('allows public %s', (ip) => {
    expect(policy.allows(ip)).toBe(true);
  });

  it('lets operators exempt ranges, but never the metadata endpoints', () => {
    const exempt = new AddressPolicy(['10.0.0.0/8', '169.254.0.0/16', 'fd00::/8', '127.0.0.1']);
    expect(exempt.allows('10.9.8.7')).toBe(true);
    expect(exempt.allows('127.0.0.1')).toBe(true);
    expect(exempt.allows('127.0.0.2')).toBe(false);
    expect(exempt.allows('169.254.1.1')).toBe(true);
    expect(exempt.allows('169.254.169.254')).toBe(false);
    expect(exempt.allows('fd00:ec2::254')).toBe(false);
  });

  it('refuses to start with a malformed exemption', () => {
    expect(() => new AddressPolicy(['10.0.0.0/33'])).toThrow(/IMAGE_FETCH_ALLOW_CIDRS/);
    expect(() => new AddressPolicy(['intranet'])).toThrow(/IMAGE_FETCH_ALLOW_CIDRS/);
  });
});

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/8', { net: '10.0.0.0', prefix: 8, type: 'ipv4' }],
    ['::1', { net: '::1', prefix: 128, type: 'ipv6' }],
    ['10.0.0.0/x', null],
    ['10.0.0.0/8/1', null],
    ['', null],
    ['fe80::/129', null],
  ])('%s', (raw, parsed) => {
    expect(parseCidr(raw)).toEqual(parsed);
  });
});
