import { Agent } from 'node:http';
import type { RunResult } from './bench.types';
import { postTimed } from './conversation.client';
import { TreeMemorySampler } from './memory.sampler';

const TOOLS = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Weather.',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  },
];
export const TOOL_PROMPT = 'SCENARIO=tools weather get_weather';

type Message = Record<string, unknown>;

/** Client-tool round trips through the gateway's Chat Completions endpoint (non-streaming). */
export class GatewayToolClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    private readonly baseUrl: string,
    private readonly model: string,
  ) {}

  /** Step 1: the model calls the tool; returns the history the follow-up sends back. */
  async step1(): Promise<Message[]> {
    const messages: Message[] = [{ role: 'user', content: TOOL_PROMPT }];
    const { run, json } = await this.chat(messages);
    const choices = json?.choices as
      { message: Message & { tool_calls?: { id: string }[] }; finish_reason: string }[] | undefined;
    const message = choices?.[0]?.message;
    const id = message?.tool_calls?.[0]?.id;
    if (!run.ok || !message || !id)
      throw new Error(`step 1 did not end in a tool call: ${run.error ?? JSON.stringify(json).slice(0, 200)}`);
    return [...messages, message, { role: 'tool', tool_call_id: id, content: 'sunny' }];
  }

  /** Milliseconds of the follow-up that carries the tool result. */
  async followUp(history: Message[]): Promise<number> {
    const { run, json } = await this.chat(history);
    const text = (json?.choices as { message: { content?: string } }[] | undefined)?.[0]?.message.content ?? '';
    if (!run.ok || !text.startsWith('RESULT'))
      throw new Error(`follow-up failed: ${run.error ?? JSON.stringify(json).slice(0, 200)}`);
    return run.totalMs;
  }

  /** A history whose call this gateway never parked (a unique id): the rebuild path. */
  foreignHistory(callId: string): Message[] {
    return [
      { role: 'user', content: TOOL_PROMPT },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: callId, type: 'function', function: { name: 'get_weather', arguments: '{"city":"v_city"}' } },
        ],
      },
      { role: 'tool', tool_call_id: callId, content: 'sunny' },
    ];
  }

  /** RSS growth of the gateway's process tree per parked turn, with `n` turns parked at once. */
  async memoryPerParked(rootPid: number, n: number): Promise<{ perTurnMb: number; histories: Message[][] }> {
    const before = new TreeMemorySampler(rootPid);
    before.start();
    const idle = before.stop().totalMb;
    const histories: Message[][] = [];
    for (let i = 0; i < n; i++) histories.push(await this.step1());
    await new Promise((r) => setTimeout(r, 500));
    const after = new TreeMemorySampler(rootPid);
    after.start();
    const parked = after.stop().totalMb;
    return { perTurnMb: (parked - idle) / n, histories };
  }

  stop(): void {
    this.agent.destroy();
  }

  private chat(messages: Message[]): Promise<{ run: RunResult; json: Message | null }> {
    return postTimed(this.agent, `${this.baseUrl}/v1/chat/completions`, { model: this.model, messages, tools: TOOLS });
  }
}
