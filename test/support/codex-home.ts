import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCodexBinary } from '../../src/codex/codex-binary';

/** Test models: `fake-model` supports low/medium/high/xhigh, `fake-mini` only low/medium. */
export const TEST_MODELS = { full: 'fake-model', mini: 'fake-mini' } as const;

interface CatalogEntry {
  slug: string;
  display_name: string;
  description: string;
  supported_reasoning_levels: { effort: string; description: string }[];
  [key: string]: unknown;
}

let bundled: CatalogEntry | null = null;

/** The bundled gpt-5.5 entry, read once from the pinned binary (no network). */
function templateEntry(home: string): CatalogEntry {
  if (bundled) return bundled;
  const { bin } = resolveCodexBinary();
  const out = execFileSync(bin, ['debug', 'models', '--bundled'], {
    env: { PATH: process.env.PATH ?? '', CODEX_HOME: home },
    encoding: 'utf8',
  });
  const models = (JSON.parse(out) as { models: CatalogEntry[] }).models;
  const entry = models.find((m) => m.slug === 'gpt-5.5') ?? models[0];
  if (!entry) throw new Error('bundled catalog is empty');
  bundled = entry;
  return entry;
}

/**
 * A throwaway CODEX_HOME whose config points Codex at the fake provider, with a catalog for the
 * test models. It lives under the repository's .test-work (Codex refuses some set-up under the OS
 * temp dir); the work directory is in the OS temp dir, outside any git repository.
 */
export function makeCodexHome(providerBaseUrl: string): { home: string; workdir: string } {
  const root = join(__dirname, '..', '..', '.test-work');
  mkdirSync(root, { recursive: true });
  const home = mkdtempSync(join(root, 'codex-home-'));
  const workdir = mkdtempSync(join(tmpdir(), 'codex-wrapper-workdir-'));
  const template = templateEntry(home);
  const entry = (slug: string, efforts: string[], priority: number): CatalogEntry => ({
    ...template,
    slug,
    display_name: slug,
    description: `Test model ${slug}`,
    priority,
    upgrade: null,
    model_messages: null,
    base_instructions: 'You are a test model.',
    default_reasoning_level: 'medium',
    supported_reasoning_levels: efforts.map((effort) => ({ effort, description: effort })),
  });
  const catalog = {
    models: [
      entry(TEST_MODELS.full, ['low', 'medium', 'high', 'xhigh'], 1),
      entry(TEST_MODELS.mini, ['low', 'medium'], 2),
    ],
  };
  writeFileSync(join(home, 'catalog.json'), JSON.stringify(catalog));
  writeProviderConfig(home, { id: 'fake', baseUrl: providerBaseUrl, model: TEST_MODELS.full, idleTimeoutMs: 10_000 });
  return { home, workdir };
}

export interface ProviderConfig {
  id: string;
  baseUrl: string;
  model: string;
  idleTimeoutMs: number;
  /** Environment variable whose value Codex sends as `Authorization: Bearer …`. */
  envKey?: string;
  /** More lines, after the provider table (further tables). */
  extra?: string[];
}

/** A config.toml whose one provider speaks Responses at `baseUrl`, with retries off so failures surface at once. */
export function writeProviderConfig(home: string, p: ProviderConfig): void {
  writeFileSync(
    join(home, 'config.toml'),
    [
      `model = "${p.model}"`,
      `model_provider = "${p.id}"`,
      `model_catalog_json = "${join(home, 'catalog.json')}"`,
      '',
      `[model_providers.${p.id}]`,
      `name = "${p.id}"`,
      `base_url = "${p.baseUrl}"`,
      ...(p.envKey ? [`env_key = "${p.envKey}"`] : []),
      'wire_api = "responses"',
      'request_max_retries = 0',
      'stream_max_retries = 0',
      `stream_idle_timeout_ms = ${p.idleTimeoutMs}`,
      '',
      ...(p.extra ?? []),
    ].join('\n'),
  );
}
