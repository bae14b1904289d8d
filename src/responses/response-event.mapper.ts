import type { CodexEvent, TurnUsage } from '../codex/codex-event.types';
import type { ResponseItem, ThreadItem } from '../codex/protocol/app-server.protocol';
import { itemId } from './response-item-ids';
import { toResponseUsage } from './response-usage';
import type { MessageItem, OutputItem, ReasoningItem, ResponseObject, ResponseStreamEvent } from './responses.types';
import { toolCallEvents, toolCallItem } from './response-tool-output';

interface OpenItem {
  index: number;
  item: OutputItem;
  sawDelta: boolean;
  parts: string[];
  done: boolean;
  /** A finished reasoning item held back until its raw item brings `encrypted_content`. */
  awaitingRaw?: boolean;
}

export interface ResponseMapperOptions {
  /** `include: ["reasoning.encrypted_content"]`: reasoning items carry what the provider sent Codex. */
  encryptedReasoning?: boolean;
  /** Client tools whose calls are `custom_tool_call` items. */
  customTools?: ReadonlySet<string>;
}

/**
 * Pure translation of a turn's events into the Responses stream (every event with `type` and an
 * increasing `sequence_number`) while building the final `response` object, so the streaming
 * and non-streaming answers are the same object.
 */
export class ResponseEventMapper {
  private seq = 0;
  private created = false;
  private readonly open = new Map<string, OpenItem>();
  readonly response: ResponseObject;
  /** Output reasoning item id → encrypted content, kept whether or not the client asked to see it. */
  readonly encrypted: Record<string, string> = {};

  constructor(
    base: ResponseObject,
    private readonly hideReasoning: boolean,
    private readonly options: ResponseMapperOptions = {},
  ) {
    this.response = { ...base, status: 'in_progress', output: [], usage: null, error: null };
  }

  /** True once `response.created` went out. */
  get hasStarted(): boolean {
    return this.created;
  }

  map(event: CodexEvent): ResponseStreamEvent[] {
    if (event.type === 'raw_item') return this.rawItem(event.item);
    // Whatever comes next, a reasoning item still waiting for its raw item is closed first: order is kept.
    return [...this.releaseHeld(), ...this.mapNext(event)];
  }

  private mapNext(event: CodexEvent): ResponseStreamEvent[] {
    switch (event.type) {
      case 'item_started':
        return this.started(event.item);
      case 'text_delta':
        return this.textDelta(event.itemId, event.delta);
      case 'reasoning_delta':
        return this.hideReasoning ? [] : this.reasoningDelta(event.itemId, event.summaryIndex, event.delta);
      case 'item_completed':
        return this.completed(event.item);
      case 'tool_calls': {
        // The response ends with the calls; the Codex turn waits, parked, for their outputs.
        const out = this.ensureCreated();
        for (const call of event.calls) {
          const custom = this.options.customTools?.has(call.name) === true;
          const item = toolCallItem(
            call,
            custom,
            itemId(custom ? 'ctc' : 'fc', this.response.id, 'output', this.response.output.length),
          );
          this.response.output.push(item);
          out.push(...toolCallEvents(item, this.response.output.length - 1, (type, fields) => this.ev(type, fields)));
        }
        return [...out, ...this.finish(event.usage)];
      }
      case 'completed':
        return this.finish(event.usage);
      default:
        return [];
    }
  }

  /** `response.failed`, for failures after the stream has started. */
  fail(code: string, message: string): ResponseStreamEvent[] {
    const out = this.ensureCreated();
    Object.assign(this.response, { status: 'failed', error: { code, message } });
    out.push(this.ev('response.failed', { response: this.snapshot() }));
    return out;
  }

  private ev(type: string, fields: Record<string, unknown>): ResponseStreamEvent {
    return { type, sequence_number: this.seq++, ...fields };
  }

  private snapshot(): ResponseObject {
    return structuredClone(this.response);
  }

  private ensureCreated(): ResponseStreamEvent[] {
    if (this.created) return [];
    this.created = true;
    return [
      this.ev('response.created', { response: this.snapshot() }),
      this.ev('response.in_progress', { response: this.snapshot() }),
    ];
  }

  private add(codexId: string, item: OutputItem): ResponseStreamEvent[] {
    const out = this.ensureCreated();
    const entry: OpenItem = { index: this.response.output.length, item, sawDelta: false, parts: [], done: false };
    this.open.set(codexId, entry);
    this.response.output.push(item);
    out.push(this.ev('response.output_item.added', { output_index: entry.index, item: structuredClone(item) }));
    if (item.type === 'message') {
      out.push(
        this.ev('response.content_part.added', {
          item_id: item.id,
          output_index: entry.index,
          content_index: 0,
          part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
        }),
      );
    }
    return out;
  }

  private started(item: ThreadItem): ResponseStreamEvent[] {
    const id = (prefix: string): string => itemId(prefix, this.response.id, 'output', this.response.output.length);
    if (item.type === 'agentMessage')
      return this.add(item.id, {
        type: 'message',
        id: id('msg'),
        status: 'in_progress',
        role: 'assistant',
        content: [],
      });
    if (item.type === 'reasoning' && !this.hideReasoning)
      return this.add(item.id, { type: 'reasoning', id: id('rs'), summary: [] });
    return [];
  }

  private textDelta(codexId: string, delta: string): ResponseStreamEvent[] {
    // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- started() reads only the type and id of a delta's first item
    const out = this.open.has(codexId) ? [] : this.started({ type: 'agentMessage', id: codexId } as ThreadItem);
    const entry = this.open.get(codexId);
    if (!entry || entry.item.type !== 'message') return out;
    entry.sawDelta = true;
    entry.parts[0] = (entry.parts[0] ?? '') + delta;
    out.push(
      this.ev('response.output_text.delta', {
        item_id: entry.item.id,
        output_index: entry.index,
        content_index: 0,
        delta,
        logprobs: [],
      }),
    );
    return out;
  }

  private reasoningDelta(codexId: string, index: number, delta: string): ResponseStreamEvent[] {
    // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- started() reads only the type and id of a delta's first item
    const out = this.open.has(codexId) ? [] : this.started({ type: 'reasoning', id: codexId } as ThreadItem);
    const entry = this.open.get(codexId);
    if (!entry || entry.item.type !== 'reasoning') return out;
    entry.sawDelta = true;
    const base = { item_id: entry.item.id, output_index: entry.index, summary_index: index };
    if (entry.parts[index] === undefined)
      out.push(this.ev('response.reasoning_summary_part.added', { ...base, part: { type: 'summary_text', text: '' } }));
    entry.parts[index] = (entry.parts[index] ?? '') + delta;
    out.push(this.ev('response.reasoning_summary_text.delta', { ...base, delta }));
    return out;
  }

  private completed(item: ThreadItem): ResponseStreamEvent[] {
    if (item.type !== 'agentMessage' && item.type !== 'reasoning') return [];
    const out = this.open.has(item.id) ? [] : this.started(item);
    const entry = this.open.get(item.id);
    if (!entry || entry.done) return out;
    if (entry.item.type === 'message' && item.type === 'agentMessage') {
      // A provider may send a whole message without deltas; clients that only add up deltas still get it.
      if (!entry.sawDelta && item.text) out.push(...this.textDelta(item.id, item.text));
      out.push(...this.closeMessage(entry, entry.item, item.text));
    } else if (entry.item.type === 'reasoning' && item.type === 'reasoning') {
      if (!entry.sawDelta) item.summary.forEach((text, i) => out.push(...this.reasoningDelta(item.id, i, text)));
      // Codex reports the raw item (with encrypted_content) just after item/completed, by the same id.
      if (this.options.encryptedReasoning) entry.awaitingRaw = true;
      else out.push(...this.closeReasoning(entry, entry.item));
    }
    return out;
  }

  /** Raw items matter only for encrypted reasoning: attach it to the held item of the same id and close that. */
  private rawItem(raw: ResponseItem): ResponseStreamEvent[] {
    const entry = raw.type === 'reasoning' && raw.id ? this.open.get(raw.id) : undefined;
    if (entry && raw.type === 'reasoning' && raw.encrypted_content)
      this.encrypted[entry.item.id] = raw.encrypted_content;
    if (entry?.awaitingRaw && entry.item.type === 'reasoning' && raw.type === 'reasoning') {
      if (raw.encrypted_content) entry.item.encrypted_content = raw.encrypted_content;
      entry.awaitingRaw = false;
      return this.closeReasoning(entry, entry.item);
    }
    return this.releaseHeld();
  }

  /** Closes held reasoning items whose raw item never came (resumed and forked threads get no raw events). */
  private releaseHeld(): ResponseStreamEvent[] {
    const out: ResponseStreamEvent[] = [];
    for (const entry of this.open.values()) {
      if (!entry.awaitingRaw || entry.item.type !== 'reasoning') continue;
      entry.awaitingRaw = false;
      out.push(...this.closeReasoning(entry, entry.item));
    }
    return out;
  }

  private closeMessage(entry: OpenItem, item: MessageItem, finalText?: string): ResponseStreamEvent[] {
    entry.done = true;
    const text = finalText ?? entry.parts[0] ?? '';
    const part = { type: 'output_text' as const, text, annotations: [], logprobs: [] };
    item.content = [part];
    item.status = 'completed';
    const base = { item_id: item.id, output_index: entry.index, content_index: 0 };
    return [
      this.ev('response.output_text.done', { ...base, text, logprobs: [] }),
      this.ev('response.content_part.done', { ...base, part }),
      this.ev('response.output_item.done', { output_index: entry.index, item: structuredClone(item) }),
    ];
  }

  private closeReasoning(entry: OpenItem, item: ReasoningItem): ResponseStreamEvent[] {
    entry.done = true;
    const out: ResponseStreamEvent[] = [];
    item.summary = entry.parts.map((text) => ({ type: 'summary_text' as const, text }));
    entry.parts.forEach((text, summary_index) => {
      const base = { item_id: item.id, output_index: entry.index, summary_index };
      out.push(this.ev('response.reasoning_summary_text.done', { ...base, text }));
      out.push(this.ev('response.reasoning_summary_part.done', { ...base, part: { type: 'summary_text', text } }));
    });
    out.push(this.ev('response.output_item.done', { output_index: entry.index, item: structuredClone(item) }));
    return out;
  }

  private finish(usage: TurnUsage): ResponseStreamEvent[] {
    const out = this.ensureCreated();
    for (const entry of this.open.values()) {
      if (entry.done) continue;
      if (entry.item.type === 'message') out.push(...this.closeMessage(entry, entry.item));
      else if (entry.item.type === 'reasoning') out.push(...this.closeReasoning(entry, entry.item));
    }
    Object.assign(this.response, {
      status: 'completed',
      completed_at: Math.floor(Date.now() / 1000),
      usage: toResponseUsage(usage),
      output_text: this.response.output
        .flatMap((i) => (i.type === 'message' ? i.content.map((c) => c.text) : []))
        .join(''),
    });
    out.push(this.ev('response.completed', { response: this.snapshot() }));
    return out;
  }
}
