import { codexCliClient, type CodexCliClient } from './support/codex-cli-client';
import { DEFAULT_TEXT, encryptedReasoningFor, FakeProvider } from './support/fake-provider';
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

  it('keeps reasoning across codex exec and codex exec resume, stateless (store: false, encrypted reasoning round-tripped)', async () => {
    const cli = client(KEY);
    const start = gw.providerCalls();
    const first = await cli.exec('first question SCENARIO=reasoning');
    expect(first.code).toBe(0);
    expect(first.lastMessage).toBe('Reasoned answer.');
    expect(first.events.find((e) => e.item?.type === 'reasoning')?.item?.text).toBe(
      'Thinking about the greeting carefully.',
    );
    const second = await cli.resume(first.threadId!, 'second question SCENARIO=reasoning');
    expect(second.code).toBe(0);
    expect(second.threadId).toBe(first.threadId);
    expect(second.lastMessage).toBe('Reasoned answer.');
    expect(gw.providerCalls()).toBe(start + 2);
    // The CLI talked to the gateway as it talks to OpenAI: stateless, asking for encrypted reasoning, history resent.
    const sent = cli.requests
      .filter((r) => r.path === '/v1/responses')
      .map(
        (r) =>
          r.body as { store?: boolean; include?: string[]; input?: { type?: string; encrypted_content?: string }[] },
      );
    expect(sent).toHaveLength(2);
    for (const body of sent)
      expect(body).toMatchObject({
        store: false,
        stream: true,
        include: expect.arrayContaining(['reasoning.encrypted_content']),
      });
    expect(sent[1]!.input?.filter((i) => i.type === 'reasoning').map((i) => i.encrypted_content)).toEqual([
      encryptedReasoningFor('first question SCENARIO=reasoning'),
    ]);
    const upstream = gw.provider.requests[start + 1]!.body;
    // What the gateway gave the CLI on turn one came back to the model on turn two, in order.
    expect(FakeProvider.texts(upstream, 'user').slice(-2)).toEqual([
      'first question SCENARIO=reasoning',
      'second question SCENARIO=reasoning',
    ]);
    expect(FakeProvider.texts(upstream, 'assistant').slice(-1)).toEqual(['Reasoned answer.']);
    expect(FakeProvider.reasoningItems(upstream).map((r) => r.encrypted_content)).toEqual([
      encryptedReasoningFor('first question SCENARIO=reasoning'),
    ]);
  });
});
