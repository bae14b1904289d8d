import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerWithTools, offeredTools } from './fake-tools';

/**
 * A fake OpenAI Responses API provider on 127.0.0.1 for Codex to talk to. The scenario is picked
 * by a `SCENARIO=<name>` keyword in the last user message:
 * text (default), reasoning (a summary and `encrypted_content`, see encryptedReasoningFor), slow, hang, stall (two deltas, then silence), e400, e400text (a non-JSON
 * body naming a server path), e429, e500, failed, midfail, long, minimal (one whole message, no
 * deltas, no usage), pause (2.5 s of silence before anything, or `pause:<ms>`, then deltas paced like slow),
 * tools (client tool calls, see fake-tools.ts).
 */
export interface RecordedRequest {
  body: ProviderRequestBody;
  scenario: string;
  /** The request's `prompt_cache_key` (Codex sends its thread id), null when absent. */
  promptCacheKey: string | null;
  /** The connection closed before the fake finished answering (the client gave up). */
  aborted: boolean;
  /** The fake wrote its whole answer (never set once the connection closed first). */
  finished: boolean;
}

export interface ProviderRequestBody {
  model?: string;
  input?: ProviderItem[];
  reasoning?: { effort?: string } | null;
  [key: string]: unknown;
}

export interface ProviderItem {
  type?: string;
  role?: string;
  content?: { type?: string; text?: string; image_url?: string }[] | null;
  /** Reasoning items: the summary and the opaque content the provider issued. */
  summary?: { type?: string; text?: string }[];
  encrypted_content?: string | null;
  /** Tool items: function_call and function_call_output. */
  name?: string;
  call_id?: string;
  arguments?: string;
  output?: unknown;
}

/** The opaque reasoning the `reasoning` scenario issues for a prompt; a later request can show it came back intact. */
export function encryptedReasoningFor(prompt: string): string {
  return `enc_${Buffer.from(prompt, 'utf8').toString('base64')}`;
}

export const DEFAULT_TEXT = 'Hello from the fake model.';
const SLOW_DELAY_MS = 150;
const PAUSE_MS = 2_500;

export class FakeProvider {
  readonly requests: RecordedRequest[] = [];
  private server: Server | null = null;
  private readonly open = new Set<ServerResponse>();
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  async stop(): Promise<void> {
    for (const res of this.open) res.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The names of the tools a recorded request offered the model (namespaced ones as ns/name). */
  static toolNames(body: ProviderRequestBody): string[] {
    return offeredTools(body).map((t) => t.name);
  }

  /** The reasoning items a recorded request sent back (what Codex put in the model's input). */
  static reasoningItems(body: ProviderRequestBody): ProviderItem[] {
    return (body.input ?? []).filter((i) => i.type === 'reasoning');
  }

  /** The texts of every message of `role` in a recorded request, in order. */
  static texts(body: ProviderRequestBody, role: string): string[] {
    return (body.input ?? [])
      .filter((i) => i.type === 'message' && i.role === role)
      .map((i) => (i.content ?? []).map((c) => c.text ?? '').join(''));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/responses')) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(raw) as ProviderRequestBody;
      const users = FakeProvider.texts(body, 'user');
      const last = users[users.length - 1] ?? '';
      const keyword = /SCENARIO=(\w+)(?::(\d+))?/.exec(last);
      const scenario = keyword?.[1] ?? 'text';
      const pauseMs = keyword?.[2] === undefined ? PAUSE_MS : Number(keyword[2]);
      const promptCacheKey = typeof body.prompt_cache_key === 'string' ? body.prompt_cache_key : null;
      const record: RecordedRequest = { body, scenario, promptCacheKey, aborted: false, finished: false };
      this.requests.push(record);
      this.open.add(res);
      res.on('close', () => {
        this.open.delete(res);
        if (!record.finished) record.aborted = true;
      });
      void this.answer(scenario, body, res, pauseMs).then(() => {
        // An answer that stopped because the client left is not a finished one.
        if (!record.aborted) record.finished = true;
        res.end();
      });
    });
  }

  private async answer(
    scenario: string,
    body: ProviderRequestBody,
    res: ServerResponse,
    pauseMs = PAUSE_MS,
  ): Promise<void> {
    if (scenario === 'e400') {
      json(res, 400, {
        error: { message: 'Invalid request: fake bad request', type: 'invalid_request_error', param: null, code: null },
      });
      return;
    }
    if (scenario === 'e400text')
      return void res
        .writeHead(400, { 'content-type': 'text/plain' })
        .write('upstream failed at /srv/secret/provider.py:42');
    if (scenario === 'e429') {
      json(res, 429, { error: { message: 'slow down', type: 'rate_limit_error' } }, { 'retry-after': '1' });
      return;
    }
    if (scenario === 'e500') {
      json(res, 500, { error: { message: 'secret internal detail', type: 'server_error' } });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const id = `resp_${Math.random().toString(36).slice(2)}`;
    send(res, { type: 'response.created', response: { id } });
    if (scenario === 'hang') return new Promise<void>((resolve) => res.on('close', resolve));
    if (scenario === 'pause') await sleep(pauseMs);
    if (scenario === 'failed') {
      send(res, {
        type: 'response.failed',
        response: { id, error: { code: 'server_error', message: 'fake response.failed' } },
      });
      return;
    }
    if (scenario === 'tools') {
      answerWithTools(body, res, id, send);
      return;
    }
    if (scenario === 'minimal') {
      const item = {
        type: 'message',
        role: 'assistant',
        id: 'msg_min',
        content: [{ type: 'output_text', text: DEFAULT_TEXT }],
      };
      send(res, { type: 'response.output_item.done', item });
      send(res, { type: 'response.completed', response: { id } });
      return;
    }
    let reasoningTokens = 0;
    if (scenario === 'reasoning') {
      reasoningTokens = 3;
      const summary = 'Thinking about the greeting carefully.';
      const users = FakeProvider.texts(body, 'user');
      const encrypted_content = encryptedReasoningFor(users[users.length - 1] ?? '');
      send(res, { type: 'response.output_item.added', item: { type: 'reasoning', id: 'rs_1', summary: [] } });
      for (const d of chunks(summary, 6))
        send(res, { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', summary_index: 0, delta: d });
      send(res, {
        type: 'response.output_item.done',
        item: { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: summary }], encrypted_content },
      });
    }
    const text =
      scenario === 'long' ? 'word '.repeat(400).trim() : scenario === 'reasoning' ? 'Reasoned answer.' : DEFAULT_TEXT;
    const msg = `msg_${Math.random().toString(36).slice(2)}`;
    send(res, {
      type: 'response.output_item.added',
      item: { type: 'message', role: 'assistant', id: msg, content: [] },
    });
    const parts = chunks(text, 5);
    for (let i = 0; i < parts.length; i++) {
      if (res.destroyed) return;
      if (scenario === 'slow' || scenario === 'pause') await sleep(SLOW_DELAY_MS);
      if (scenario === 'stall' && i === 2) return new Promise<void>((resolve) => res.on('close', resolve));
      if (scenario === 'midfail' && i === 2) {
        send(res, {
          type: 'response.failed',
          response: { id, error: { code: 'server_error', message: 'fake failure mid-stream' } },
        });
        return;
      }
      send(res, {
        type: 'response.output_text.delta',
        item_id: msg,
        output_index: 0,
        content_index: 0,
        delta: parts[i],
      });
    }
    send(res, {
      type: 'response.output_item.done',
      item: { type: 'message', role: 'assistant', id: msg, content: [{ type: 'output_text', text }] },
    });
    const inputTokens = 10 + (body.input?.length ?? 0);
    send(res, {
      type: 'response.completed',
      response: {
        id,
        usage: {
          input_tokens: inputTokens,
          input_tokens_details: { cached_tokens: 4 },
          output_tokens: 7,
          output_tokens_details: { reasoning_tokens: reasoningTokens },
          total_tokens: inputTokens + 7,
        },
      },
    });
  }
}

function send(res: ServerResponse, event: { type: string } & Record<string, unknown>): void {
  if (!res.destroyed) res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.write(JSON.stringify(body));
}

function chunks(text: string, size: number): string[] {
  return text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
