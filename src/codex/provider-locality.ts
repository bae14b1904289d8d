import { isIP } from 'node:net';
import { asRecord } from '../util/is-record';

const LOCAL_SCHEMES = new Set(['unix:', 'http+unix:', 'https+unix:']);

/** Loopback only: `localhost`, 127.0.0.0/8, ::1, and unix sockets. `0.0.0.0` and LAN addresses are not local. */
export function isLocalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (LOCAL_SCHEMES.has(url.protocol)) return true;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./.test(host);
  return false;
}

/** Environment variables Codex itself reads for the built-in providers' addresses. */
export interface ProviderEnv {
  openaiBaseUrl: string | null;
  ossBaseUrl: string | null;
  ossPort: string | null;
}

const OSS_DEFAULT: Record<string, string> = {
  oss: 'http://localhost:11434/v1',
  ollama: 'http://localhost:11434/v1',
  lmstudio: 'http://localhost:1234/v1',
};

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * The provider a Codex config document selects (the active profile's `model_provider`, else the
 * top-level one, else openai) and whether it is local. Every address that could apply (a
 * `model_providers` override, `openai_base_url`, the environment) must be local, so an ambiguous
 * precedence can only make the answer stricter.
 */
export function resolveProvider(
  doc: Record<string, unknown>,
  env: ProviderEnv,
): { id: string; baseUrl: string | null; local: boolean } {
  const profileName = str(doc.profile);
  const profile = profileName ? asRecord(asRecord(doc.profiles)[profileName]) : {};
  const id = str(profile.model_provider) ?? str(doc.model_provider) ?? 'openai';
  const own = str(asRecord(asRecord(doc.model_providers)[id]).base_url);
  let candidates = [own];
  let fallback: string | null = null;
  if (id === 'openai') {
    candidates = [own, str(doc.openai_base_url), env.openaiBaseUrl];
    fallback = 'https://api.openai.com/v1';
  } else if (OSS_DEFAULT[id]) {
    candidates = [own, env.ossBaseUrl, env.ossPort ? `http://localhost:${env.ossPort}/v1` : null];
    fallback = OSS_DEFAULT[id] ?? null;
  }
  const urls = candidates.filter((u): u is string => u !== null);
  if (urls.length === 0 && fallback !== null) urls.push(fallback);
  return { id, baseUrl: urls[0] ?? null, local: urls.length > 0 && urls.every(isLocalUrl) };
}
