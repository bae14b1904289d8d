import type { ResponseItem } from '../protocol/app-server.protocol';

export interface BatchCall {
  callId: string;
  itemId: string;
  /** Codex-side name. */
  name: string;
  arguments: string;
}

/** What a complete batch hands over: the calls the client must run and the requests to answer. */
export interface TakenBatch {
  calls: BatchCall[];
  /** call id → JSON-RPC id of its pending `item/tool/call`. */
  requests: Map<string, number | string>;
}

/**
 * The client-tool calls of one model response. The batch is complete when the model response is
 * over (`rawResponse/completed`) and every client call in it has either its `item/tool/call`
 * request or a raw `function_call_output` (Codex answered it itself: bad JSON, unknown name),
 * client-tools.md §Q5. `rawResponse/completed` can come before the last request.
 */
export class ToolBatch {
  private calls = new Map<string, BatchCall>();
  private requests = new Map<string, number | string>();
  private answeredByCodex = new Set<string>();
  private responseDone = false;

  constructor(private readonly isClientTool: (codexName: string) => boolean) {}

  rawItem(item: ResponseItem): void {
    if (item.type === 'function_call' && item.namespace === undefined && this.isClientTool(item.name)) {
      this.calls.set(item.call_id, {
        callId: item.call_id,
        itemId: item.id ?? item.call_id,
        name: item.name,
        arguments: item.arguments,
      });
    } else if (item.type === 'function_call_output' && item.call_id !== undefined && !this.requests.has(item.call_id)) {
      this.answeredByCodex.add(item.call_id);
    }
  }

  request(callId: string, requestId: number | string): void {
    this.requests.set(callId, requestId);
  }

  responseCompleted(): void {
    if (this.calls.size > 0 || this.requests.size > 0) this.responseDone = true;
  }

  /** The model response is over; `strict` also needs every call to have reached the gateway. */
  ready(strict: boolean): boolean {
    if (!this.responseDone) return false;
    return !strict || [...this.calls.keys()].every((id) => this.requests.has(id) || this.answeredByCodex.has(id));
  }

  get waiting(): boolean {
    return this.responseDone;
  }

  /** Hands the batch over and starts the next one. Calls Codex answered itself are left out. */
  take(): TakenBatch {
    const calls = [...this.calls.values()].filter((c) => this.requests.has(c.callId));
    const requests = new Map(calls.map((c) => [c.callId, this.requests.get(c.callId) as number | string]));
    this.calls = new Map();
    this.requests = new Map();
    this.answeredByCodex = new Set();
    this.responseDone = false;
    return { calls, requests };
  }
}
