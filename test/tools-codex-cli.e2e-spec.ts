import { codexCliClient, type CodexCliClient } from './support/codex-cli-client';
import { FakeProvider } from './support/fake-provider';
import { suiteGateway } from './support/gateway';
import { seenTail } from './support/tools';

/**
 * The Codex CLI pointed at the gateway as its model provider: the gateway's model asks for the
 * CLI's own `exec_command`, the command runs on the client side (in the CLI's process, not on the
 * gateway's Codex), and the final answer quotes its output.
 */
describe('the Codex CLI as a client, running its own tools', () => {
  const gw = suiteGateway();
  let cli: CodexCliClient | null = null;
  afterAll(() => cli?.dispose());

  it('runs exec_command on the client and sends the output back through the gateway', async () => {
    cli = codexCliClient({ gatewayUrl: gw.url });
    const start = gw.providerCalls();
    // A tab, not a space, separates the arguments: the fake takes ARGS up to the first space.
    const result = await cli.exec('SCENARIO=tools run client_exec_command ARGS={"cmd":"echo\\tran-on-the-client-42"}');
    expect(result.code).toBe(0);
    const executed = result.events.find((e) => e.type === 'item.completed' && e.item?.type === 'command_execution');
    expect(executed?.item).toMatchObject({
      command: expect.stringContaining('ran-on-the-client-42'),
      aggregated_output: expect.stringContaining('ran-on-the-client-42'),
    });
    expect(result.lastMessage).toMatch(/^RESULT client_exec_command#call_\w+=.*ran-on-the-client-42/s);
    // The gateway's own model saw only the CLI's tools (exec_command under its alias), never Codex's built-ins.
    const first = gw.provider.requests[start]!.body;
    const sent = cli.requests
      .filter((r) => r.path === '/v1/responses')
      .map((r) => r.body as { tools?: { name?: string; type?: string }[] });
    const clientTools = (sent[0]?.tools ?? [])
      .filter((t) => t.type === 'function' || t.type === 'custom')
      .map((t) => String(t.name));
    expect(clientTools).toEqual(expect.arrayContaining(['exec_command', 'apply_patch']));
    expect(FakeProvider.toolNames(first)).toEqual(
      clientTools.map((n) => (n === 'exec_command' ? 'client_exec_command' : n)),
    );
    expect(sent).toHaveLength(2);
    const tail = seenTail(gw.provider.requests[gw.provider.requests.length - 1]!.body);
    expect(tail[0]).toMatch(/^call:client_exec_command#/);
    expect(tail[1]).toContain('ran-on-the-client-42');
  });
});
