import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvVars } from './env.validation';

const root = join(__dirname, '..', '..');
const read = (name: string): string => readFileSync(join(root, name), 'utf8');

/** Every variable the server reads, taken from the validated schema itself. */
function variables(): string[] {
  const fromDefaults = Object.keys(new EnvVars());
  const source = read('src/config/env.validation.ts');
  const declared = [...source.matchAll(/^\s*@.*?\b([A-Z][A-Z0-9_]+)[?!]?\s*[:=]/gm)].map((m) => m[1] ?? '');
  return [...new Set([...fromDefaults, ...declared])].filter((v) => /^[A-Z][A-Z0-9_]+$/.test(v));
}

describe('documentation stays in step with the code', () => {
  it('reads the variable list from the schema', () => {
    expect(variables()).toEqual(expect.arrayContaining(['PROXY_API_KEY', 'CODEX_SPARE_THREADS']));
    expect(variables().length).toBeGreaterThan(30);
  });

  it.each(['README.md', 'README.ja.md'])('%s documents every environment variable', (file) => {
    const text = read(file);
    // CODEX_ENV_FILE is read before the schema (it names the file the schema is read from).
    const missing = [...variables(), 'CODEX_ENV_FILE'].filter((v) => !text.includes(`\`${v}\``));
    expect(missing).toEqual([]);
  });

  it('README.md and README.ja.md have the same structure', () => {
    const shape = (text: string) => ({
      sections: (text.match(/^#{2,3} /gm) ?? []).length,
      codeBlocks: (text.match(/^```/gm) ?? []).length,
      tableRows: (text.match(/^\|/gm) ?? []).length,
    });
    expect(shape(read('README.ja.md'))).toEqual(shape(read('README.md')));
  });
});
