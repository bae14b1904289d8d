import type { AppConfig } from './app.config';
import type { CodexConfig } from './codex.config';
import type { ImagesConfig } from './images.config';

const LOOPBACK = /^(127\.|::1$|localhost$)/;

/** What an operator must hear at start-up about risky settings (printed by main.ts). */
export function startupWarnings(app: AppConfig, codex: CodexConfig, images: ImagesConfig): string[] {
  const out: string[] = [];
  const keyless = app.apiKeys.length === 0 && app.apiKeysFile === null;
  if (keyless && !app.hostExplicit) {
    out.push(
      'No API key configured: listening on 127.0.0.1 only. Set PROXY_API_KEY (or HOST explicitly) to accept remote clients.',
    );
  } else if (keyless && !LOOPBACK.test(app.host)) {
    out.push(
      `No API key configured and HOST=${app.host}: anyone who can reach this port can run Codex. Set PROXY_API_KEY.`,
    );
  }
  if (codex.allowDangerFullAccess)
    out.push('CODEX_ALLOW_DANGER_FULL_ACCESS=1: clients may run Codex without a sandbox.');
  if (codex.sandboxMode === 'danger-full-access')
    out.push('CODEX_SANDBOX_MODE=danger-full-access: every request runs without a sandbox by default.');
  if (images.fetch.enabled && images.fetch.allowCidrs.length > 0) {
    out.push(
      `IMAGE_FETCH_ALLOW_CIDRS=${images.fetch.allowCidrs.join(',')}: clients can make the server fetch from these internal ranges.`,
    );
  }
  if (app.trustProxy !== false && app.rateLimitPerMinute > 0) {
    out.push(
      'TRUST_PROXY is on: make sure clients can reach this server only through the trusted proxy, or they choose their own rate-limit address.',
    );
  }
  if (codex.deprecatedModel)
    out.push('CODEX_MODEL is deprecated and ignored: pick the model per request (GET /v1/models lists them).');
  return out;
}
