import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface CodexBinary {
  /** Absolute path of the native executable. */
  bin: string;
  /** Directory holding the helper tools (rg) that Codex expects on PATH, when bundled. */
  pathDir: string | null;
  /** Version from the package layout file, when known. */
  version: string | null;
}

const TARGETS: Record<string, { pkg: string; triple: string }> = {
  'linux-x64': { pkg: '@openai/codex-linux-x64', triple: 'x86_64-unknown-linux-musl' },
  'linux-arm64': { pkg: '@openai/codex-linux-arm64', triple: 'aarch64-unknown-linux-musl' },
  'darwin-x64': { pkg: '@openai/codex-darwin-x64', triple: 'x86_64-apple-darwin' },
  'darwin-arm64': { pkg: '@openai/codex-darwin-arm64', triple: 'aarch64-apple-darwin' },
};

interface LayoutFile {
  version?: unknown;
  entrypoint?: unknown;
  pathDir?: unknown;
}

/**
 * Finds the native Codex executable inside the pinned `@openai/codex` package, the way the
 * official SDK does. The JS launcher is avoided: on Node 20 it stays alive as an extra parent
 * process (~40 MB, ~80 ms) between us and the binary.
 */
export function resolveCodexBinary(override?: string): CodexBinary {
  if (override) return { bin: override, pathDir: null, version: null };
  const target = TARGETS[`${process.platform}-${process.arch}`];
  if (!target) throw new Error(`no bundled Codex binary for ${process.platform}-${process.arch}; set CODEX_PATH`);
  const launcherPkg = require.resolve('@openai/codex/package.json');
  const platformPkg = require.resolve(`${target.pkg}/package.json`, { paths: [dirname(launcherPkg)] });
  const vendor = join(dirname(platformPkg), 'vendor', target.triple);
  const layoutPath = join(vendor, 'codex-package.json');
  const layout: LayoutFile = existsSync(layoutPath) ? (JSON.parse(readFileSync(layoutPath, 'utf8')) as LayoutFile) : {};
  const entry = typeof layout.entrypoint === 'string' ? layout.entrypoint : join('codex', 'codex');
  const pathDir = typeof layout.pathDir === 'string' ? join(vendor, layout.pathDir) : null;
  const bin = join(vendor, entry);
  if (!existsSync(bin)) throw new Error(`Codex binary not found at ${bin}; run npm ci or set CODEX_PATH`);
  return { bin, pathDir, version: typeof layout.version === 'string' ? layout.version : null };
}
