import { toOpenAIError } from '../common/errors/to-openai-error';
import type { CodexConfig } from '../config/codex.config';
import type { CodexConfigFileService } from '../codex/codex-config-file.service';
import { CodexError, CodexErrorCode } from '../codex/codex.errors';
import { SandboxPolicyService } from './sandbox-policy.service';

const input = { aliasEffort: null, supportedEfforts: ['low', 'medium'] };

function policy(localOnly: boolean, provider: { local: boolean; verified: boolean }): SandboxPolicyService {
  const config = {
    localOnly,
    sandboxMode: 'read-only',
    allowDangerFullAccess: false,
    reasoningEffort: 'medium',
    workspaceNetworkAccess: false,
    hideReasoning: false,
  };
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
    expect(run).toThrow(CodexError);
    let wire: ReturnType<typeof toOpenAIError> | null = null;
    try {
      run();
    } catch (e) {
      expect((e as CodexError).code).toBe(CodexErrorCode.NonLocalProvider);
      wire = toOpenAIError(e);
    }
    expect(wire).toMatchObject({
      status: 400,
      body: { error: { type: 'invalid_request_error', code: 'non_local_provider', param: null } },
    });
    expect(wire?.body.error.message).toMatch(/not local/);
    expect(wire?.body.error.message).not.toMatch(/'p'/);
  });

  it('lets a confirmed local provider through, and ignores locality when the switch is off', () => {
    expect(policy(true, { local: true, verified: true }).resolve(input).sandbox).toBe('read-only');
    expect(policy(false, { local: false, verified: false }).resolve(input).sandbox).toBe('read-only');
  });
});
