import { codexCliClient, type CodexCliClient } from './support/codex-cli-client';
import { DEFAULT_TEXT } from './support/fake-provider';
import { suiteGateway } from './support/gateway';

const KEY = 'sk-codex-cli-client-0123456789';

describe('the Codex CLI as a client of the gateway', () => {
  const gw = suiteGateway({ env: { PROXY_API_KEY: KEY } });
  const clients: CodexCliClient[] = [];
  const client = (apiKey: string): CodexCliClient => {
    const c = codexCliClient({ gatewayUrl: gw.url, apiKey });
    clients.push(c);
    return c;
  };
  afterAll(() => clients.forEach((c) => c.dispose()));

  it('runs codex exec through the gateway with the gateway key', async () => {
    const result = await client(KEY).exec('say hi');
    expect(result.code).toBe(0);
    expect(result.threadId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.lastMessage).toBe(DEFAULT_TEXT);
    const seen = gw.provider.requests[gw.provider.requests.length - 1]!.body;
    expect(JSON.stringify(seen.input)).toContain('say hi');
  });

  it('fails the turn when the key is wrong', async () => {
    const before = gw.providerCalls();
    const result = await client('sk-wrong-key-0123456789').exec('say hi');
    expect(result.code).toBe(1);
    expect(result.events.find((e) => e.type === 'turn.failed')?.error?.message).toContain('401');
    expect(gw.providerCalls()).toBe(before);
  });
});
