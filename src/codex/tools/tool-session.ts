import type { CodexEvent, TurnUsage } from '../codex-event.types';
import { emptyUsage } from '../codex-event.types';
import type { JsonValue } from '../protocol/app-server.protocol';
import type { ClientToolCall, ClientToolsSpec } from './client-tools.types';
import { conversationKey } from './conversation-key';
import { TakenBatch, ToolBatch } from './tool-batch';

function addUsage(a: TurnUsage, b: TurnUsage): TurnUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningOutputTokens: a.reasoningOutputTokens + b.reasoningOutputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
}

/**
 * The client-tool side of one turn, across the HTTP answers ("segments") it spans: the current
 * call batch, the usage and assistant text of this segment (per-step usage comes from
 * `rawResponse/completed`, the only usage a step that ends in tool calls has), and what the
 * client has seen so far, to recognise its follow-up.
 */
export class ToolSession {
  readonly batch: ToolBatch;
  private usage: TurnUsage = emptyUsage();
  private sawUsage = false;
  private readonly texts = new Map<string, string>();
  /** Requests of the parked batch still waiting for the client's results, by call id. */
  pending = new Map<string, number | string>();
  /** Reasoning raw items of the model response in progress, and of the last one that ended. */
  private reasoning: JsonValue[] = [];
  lastReasoning: JsonValue[] = [];

  constructor(
    readonly spec: ClientToolsSpec,
    /** Everything the client had sent when this segment began (history and input). */
    private conversation: JsonValue[],
  ) {
    const offered = new Set(spec.dynamicTools.map((t) => t.name));
    this.batch = new ToolBatch((name) => offered.has(name));
  }

  /** Follows one event of the current segment. */
  observe(event: CodexEvent): void {
    if (event.type === 'raw_item') {
      this.batch.rawItem(event.item);
      // A raw item is JSON exactly as the provider sent it; kept to restore on a rebuilt conversation.
      if (event.item.type === 'reasoning') this.reasoning.push(event.item);
    } else if (event.type === 'text_delta')
      this.texts.set(event.itemId, (this.texts.get(event.itemId) ?? '') + event.delta);
    else if (event.type === 'item_completed' && event.item.type === 'agentMessage')
      this.texts.set(event.item.id, event.item.text);
    else if (event.type === 'raw_response_completed') {
      if (event.usage) {
        this.usage = addUsage(this.usage, event.usage);
        this.sawUsage = true;
      }
      this.batch.responseCompleted();
      this.lastReasoning = this.reasoning;
      this.reasoning = [];
    }
  }

  /** This segment's usage (the whole turn's when raw usage never arrived). */
  segmentUsage(turnUsage: TurnUsage): TurnUsage {
    return this.sawUsage ? { ...this.usage } : turnUsage;
  }

  /** Takes the complete batch: the calls in client names and the key the follow-up must match. */
  park(taken: TakenBatch): { calls: ClientToolCall[]; expectKey: string } {
    this.pending = taken.requests;
    const text = [...this.texts.values()].join('\n\n');
    const seen = text
      ? [...this.conversation, { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] }]
      : this.conversation;
    const calls = taken.calls.map((c) => ({
      callId: c.callId,
      itemId: c.itemId,
      arguments: c.arguments,
      name: this.spec.clientNames[c.name] ?? c.name,
    }));
    return { calls, expectKey: conversationKey(seen, this.spec.key) };
  }

  /** A follow-up continues the turn: a new segment starts from the client's new conversation. */
  nextSegment(conversation: JsonValue[]): void {
    this.conversation = conversation;
    this.usage = emptyUsage();
    this.sawUsage = false;
    this.texts.clear();
  }
}
