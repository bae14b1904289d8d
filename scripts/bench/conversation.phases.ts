import type { FakeProvider } from '../../test/support/fake-provider';
import type { BaselineClient } from './baseline.client';
import { PROMPT } from './bench.phases';
import { RunResult } from './bench.types';
import { ChatMessage, chatTurn, responsesTurn } from './conversation.client';
import type { GatewayProcess } from './gateway.process';
import { TreeMemorySampler } from './memory.sampler';

const TURNS = 5;
const prompt = (marker: string, turn: number): string => `${marker} turn ${turn}. SCENARIO=text`;

export interface ConversationRuns {
  /** One-message chat turns on the gateway, interleaved with the conversation turns as the same-run reference. */
  chatOne: RunResult[];
  gwFirst: RunResult[];
  gwNext: RunResult[];
  bareFirst: RunResult[];
  bareNext: RunResult[];
  /** Turn 5 of chat conversations continued by affinity. */
  chatFifth: RunResult[];
  /** Distinct prompt_cache_key values the provider saw per conversation (the largest over all). */
  keys: { chat: number; responses: number };
}

/** The largest number of distinct prompt_cache_key values the provider saw for one marker. */
function distinctKeys(provider: FakeProvider, markers: string[]): number {
  let most = 0;
  for (const marker of markers) {
    const keys = new Set(
      provider.requests
        .filter((r) => JSON.stringify(r.body.input ?? []).includes(`${marker} turn`))
        .map((r) => r.promptCacheKey),
    );
    most = Math.max(most, keys.size);
  }
  return most;
}

/**
 * `conversations` five-turn conversations of each kind, interleaved: stored Responses turns
 * (first, then previous_response_id continuations), the bare client doing the same steps (a new
 * ephemeral thread with raw events, then turns on it, kept loaded), chat conversations continued by affinity, and
 * one-message chat turns.
 */
export async function conversationRuns(
  gw: GatewayProcess,
  bare: BaselineClient,
  provider: FakeProvider,
  conversations: number,
): Promise<ConversationRuns> {
  const out: ConversationRuns = {
    chatOne: [],
    gwFirst: [],
    gwNext: [],
    bareFirst: [],
    bareNext: [],
    chatFifth: [],
    keys: { chat: 0, responses: 0 },
  };
  const markers = { chat: [] as string[], responses: [] as string[] };
  for (let c = 0; c < conversations; c++) {
    const r = `R${c}x`;
    const h = `C${c}x`;
    markers.responses.push(r);
    markers.chat.push(h);
    let previous: string | null = null;
    let threadId: string | undefined;
    const messages: ChatMessage[] = [];
    for (let t = 1; t <= TURNS; t++) {
      const steps: (() => Promise<void>)[] = [
        async () => {
          const turn = await responsesTurn(gw.agent, gw.baseUrl, gw.model, prompt(r, t), previous);
          previous = turn.id;
          (t === 1 ? out.gwFirst : out.gwNext).push(turn.run);
        },
        async () => {
          const turn = await bare.runSteps(prompt(`B${c}x`, t), { threadId, raw: true });
          threadId = turn.threadId ?? undefined;
          (t === 1 ? out.bareFirst : out.bareNext).push(turn);
        },
        async () => {
          messages.push({ role: 'user', content: prompt(h, t) });
          const turn = await chatTurn(gw.agent, gw.baseUrl, gw.model, messages);
          messages.push({ role: 'assistant', content: turn.answer });
          if (t === TURNS) out.chatFifth.push(turn.run);
        },
        async () => {
          out.chatOne.push(await gw.run(PROMPT, false));
        },
      ];
      if ((c + t) % 2 === 1) steps.reverse();
      for (const step of steps) await step();
    }
    if (threadId) bare.unload(threadId);
  }
  out.keys = { chat: distinctKeys(provider, markers.chat), responses: distinctKeys(provider, markers.responses) };
  return out;
}

const historyOf = (sample: number, n: number): ChatMessage[] =>
  Array.from({ length: n }, (_, i) => ({
    role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
    content: `H${sample} message ${i}: some earlier words of this conversation.`,
  }));

/** A chat request with `n` messages of history the gateway never answered (no affinity) against the bare client injecting the same. */
export async function longHistoryRuns(
  gw: GatewayProcess,
  bare: BaselineClient,
  pairs: number,
  n: number,
): Promise<{ baseline: RunResult[]; gateway: RunResult[] }> {
  const out = { baseline: [] as RunResult[], gateway: [] as RunResult[] };
  for (let i = 0; i < pairs; i++) {
    const history = historyOf(i, n - 1);
    const items = history.map((m) => ({
      type: 'message',
      role: m.role,
      content: [{ type: m.role === 'user' ? 'input_text' : 'output_text', text: m.content }],
    }));
    const steps = [
      async () => {
        out.gateway.push(
          (await chatTurn(gw.agent, gw.baseUrl, gw.model, [...history, { role: 'user', content: PROMPT }])).run,
        );
      },
      async () => {
        const run = await bare.runSteps(PROMPT, { history: items });
        if (run.threadId) bare.unload(run.threadId);
        out.baseline.push(run);
      },
    ];
    if (i % 2 === 1) steps.reverse();
    for (const step of steps) await step();
  }
  return out;
}

async function rssMb(pid: number): Promise<number> {
  const sampler = new TreeMemorySampler(pid);
  sampler.start();
  await new Promise((r) => setTimeout(r, 200));
  return sampler.stop().totalMb;
}

/** What one idle thread costs in app-server: the bare client keeps `n` finished threads loaded. */
export async function memoryPerIdleThread(bare: BaselineClient, n: number): Promise<number> {
  const before = await rssMb(bare.rootPid);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const run = await bare.runSteps(prompt(`M${i}x`, 1), {});
    if (run.threadId) ids.push(run.threadId);
  }
  await new Promise((r) => setTimeout(r, 500));
  const after = await rssMb(bare.rootPid);
  for (const id of ids) bare.unload(id);
  return (after - before) / n;
}

/** Fills the gateway's idle-thread cache with `n` one-turn chat conversations. */
export async function fillIdleThreads(gw: GatewayProcess, n: number): Promise<RunResult[]> {
  const runs: RunResult[] = [];
  for (let i = 0; i < n; i++)
    runs.push((await chatTurn(gw.agent, gw.baseUrl, gw.model, [{ role: 'user', content: prompt(`F${i}x`, 1) }])).run);
  return runs;
}
