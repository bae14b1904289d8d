import { createHash } from 'node:crypto';
import { parseKeysFile } from './api-key.guard';

const sha = (key: string): string => createHash('sha256').update(key).digest('hex');

describe('token quotas in the keys file', () => {
  it('reads daily_tokens and monthly_tokens after the name; a key without them is unlimited', () => {
    const entries = parseKeysFile(
      `${sha('a')} alice daily_tokens=1000 monthly_tokens=20000 # team A\n${sha('b')} bob monthly_tokens=5\n${sha('c')} carol\n`,
    );
    expect(entries.map((e) => [e.name, e.quota])).toEqual([
      ['alice', { dailyTokens: 1000, monthlyTokens: 20000 }],
      ['bob', { dailyTokens: null, monthlyTokens: 5 }],
      ['carol', { dailyTokens: null, monthlyTokens: null }],
    ]);
  });

  it.each(['daily=1000', 'daily_tokens=-1', 'daily_tokens=1e6', 'laptop'])(
    'refuses an unknown or malformed field instead of ignoring it: %s',
    (field) => {
      expect(() => parseKeysFile(`${sha('a')} alice ${field}`)).toThrow(/line 1: unknown field/);
    },
  );
});
