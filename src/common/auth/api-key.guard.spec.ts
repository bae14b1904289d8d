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
    expect(entries.map((e) => e.name)).toEqual(['alice', 'bob', 'file-key-5']);
    expect(entries[0]?.hash.toString('hex')).toBe(sha('a'));
  });

  it.each(['sk-plaintext-key alice', `${sha('a').slice(1)} short`, 'zz'.repeat(32)])(
    'refuses a line that is not a SHA-256 hex digest: %s',
    (line) => {
      expect(() => parseKeysFile(line)).toThrow(/line 1/);
    },
  );
});

describe('ApiKeyGuard start-up', () => {
  const guard = (apiKeysFile: string, apiKeys: string[] = []): ApiKeyGuard =>
    new ApiKeyGuard({ apiKeys, apiKeysFile } as unknown as AppConfig, new Reflector());
  const keysFile = (text: string): string => {
    const file = join(mkdtempSync(join(tmpdir(), 'keys-')), 'keys');
    writeFileSync(file, text);
    return file;
  };

  it('never gives an unnamed keys-file entry the name of a PROXY_API_KEY key', () => {
    // Line 1 unnamed and PROXY_API_KEY's first key were both `key-1`: one owner, one rate budget.
    const g = guard(keysFile(`${sha('sk-file')}\n`), ['sk-env']);
    expect(() => g.onModuleInit()).not.toThrow();
  });

  it.each([
    ['a keys-file name that repeats a PROXY_API_KEY name', `${sha('sk-file')} key-1\n`, ['sk-env'], 'key-1'],
    ['two keys-file entries with one name', `${sha('a')} ops\n${sha('b')} ops\n`, [], 'ops'],
    ['an explicit name equal to an unnamed entry', `${sha('a')}\n${sha('b')} file-key-1\n`, [], 'file-key-1'],
  ])('refuses to start with %s, naming it', (_name, text, env, dupe) => {
    expect(() => guard(keysFile(text), env).onModuleInit()).toThrow(new RegExp(`unique.*duplicated: ${dupe}`));
  });

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
