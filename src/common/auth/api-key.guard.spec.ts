import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app.config';
import { ApiKeyGuard, parseKeysFile } from './api-key.guard';

const sha = (key: string): string => createHash('sha256').update(key).digest('hex');

describe('parseKeysFile', () => {
  it('reads hashes with names, skipping comments and blank lines', () => {
    const entries = parseKeysFile(`# team keys\n${sha('a')} alice\n\n  ${sha('b')}   bob # laptop\n${sha('c')}\n`);
    expect(entries.map((e) => e.name)).toEqual(['alice', 'bob', 'key-5']);
    expect(entries[0]?.hash.toString('hex')).toBe(sha('a'));
  });

  it.each(['sk-plaintext-key alice', `${sha('a').slice(1)} short`, 'zz'.repeat(32)])('refuses a line that is not a SHA-256 hex digest: %s', (line) => {
    expect(() => parseKeysFile(line)).toThrow(/line 1/);
  });
});

describe('ApiKeyGuard start-up', () => {
  const guard = (apiKeysFile: string): ApiKeyGuard => new ApiKeyGuard({ apiKeys: [], apiKeysFile } as unknown as AppConfig, new Reflector());

  it('refuses to start when the keys file holds no key, instead of opening the API', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'keys-')), 'keys');
    writeFileSync(file, '# nobody yet\n');
    expect(() => guard(file).onModuleInit()).toThrow(/holds no keys/);
  });

  it('enables auth from a keys file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'keys-')), 'keys');
    writeFileSync(file, `${sha('sk-x')} ops\n`);
    const g = guard(file);
    g.onModuleInit();
    expect(g.enabled).toBe(true);
  });
});
