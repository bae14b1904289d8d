import { OpenAIHttpException } from '../common/errors/openai-error';
import type { CodexConfig } from '../config/codex.config';
import type { CodexConfigFileService } from './codex-config-file.service';
import { CodexError, CodexErrorCode } from './codex.errors';
import { SandboxPolicyService } from './sandbox-policy.service';

const input = { aliasEffort: null, supportedEfforts: ['low', 'medium'] };

function policy(localOnly: boolean, provider: { local: boolean; verified: boolean }): SandboxPolicyService {
  const config = { localOnly, sandboxMode: 'read-only', allowDangerFullAccess: false, reasoningEffort: 'medium', workspaceNetworkAccess: false, hideReasoning: false };
  const file = { provider: { id: 'p', baseUrl: null, local: provider.local }, verified: provider.verified };
  return new SandboxPolicyService(config as unknown as CodexConfig, file as unknown as CodexConfigFileService);
}

describe('SandboxPolicyService under CODEX_LOCAL_ONLY', () => {
  it('runs nothing until Codex has confirmed its provider (503, retry)', () => {
    const run = (): unknown => policy(true, { local: true, verified: false }).resolve(input);
    expect(run).toThrow(CodexError);
    try {
      run();
    } catch (e) {
      expect((e as CodexError).code).toBe(CodexErrorCode.EngineUnavailable);
    }
  });

  it('refuses a confirmed non-local provider without naming it', () => {
    const run = (): unknown => policy(true, { local: false, verified: true }).resolve(input);
    expect(run).toThrow(OpenAIHttpException);
    expect(run).toThrow(/not local/);
    expect(run).not.toThrow(/'p'/);
  });

  it('lets a confirmed local provider through, and ignores locality when the switch is off', () => {
    expect(policy(true, { local: true, verified: true }).resolve(input).sandbox).toBe('read-only');
    expect(policy(false, { local: false, verified: false }).resolve(input).sandbox).toBe('read-only');
  });
});
