import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

/** Runs dependency-cruiser with the project's rules on `<cwd>/src`, as a developer would from the shell. */
async function depcruise(cwd: string, outputType: 'json' | 'err'): Promise<{ stdout: string; code: number }> {
  const args = [CLI, '--config', CONFIG, '--output-type', outputType, 'src'];
  return promisify(execFile)(process.execPath, args, { cwd, maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => ({ stdout: r.stdout, code: 0 }),
    (e: unknown) => {
      const failed = e as { stdout?: string; code?: number };
      return { stdout: failed.stdout ?? '', code: failed.code ?? -1 };
    },
  );
}

async function violations(cwd: string): Promise<string[]> {
  const out = JSON.parse((await depcruise(cwd, 'json')).stdout) as {
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  return out.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

describe('the layer rules (.dependency-cruiser.cjs)', () => {
  it('hold for src/', async () => {
    expect(await violations(ROOT)).toEqual([]);
  });

  // A miniature src/ that breaks each rule once, next to two imports that stay allowed.
  it('fail on each forbidden import, and only on those', async () => {
    const fixture = join(__dirname, 'fixtures/layers');
    expect(await violations(fixture)).toEqual(
      [
        'config-imports-only-util: src/config/value.ts -> src/common/shared.ts',
        'engine-knows-no-http: src/codex/engine.ts -> src/common/errors/openai-error.ts',
        'feature-imports-feature: src/chat/chat.feature.ts -> src/responses/responses.feature.ts',
        'generated-protocol-via-protocol-module: src/health/peek.ts -> src/codex/protocol/generated/Thing.ts',
        'no-circular: src/images/first.ts -> src/images/second.ts',
        'one-spawner: src/models/spawner.ts -> child_process',
        'shared-imports-feature: src/common/shared.ts -> src/chat/chat.feature.ts',
        'util-is-a-leaf: src/util/leaf.ts -> src/config/value.ts',
      ].sort(),
    );
    // What a shell or CI step sees: the default reporter exits non-zero and names the rule.
    const shell = await depcruise(fixture, 'err');
    expect(shell.code).not.toBe(0);
    expect(shell.stdout).toContain('error engine-knows-no-http');
  });
});
