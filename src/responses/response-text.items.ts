import type { ResponseItem, ThreadItem } from '../codex/protocol/app-server.protocol';
import { itemId } from './response-item-ids';
import { closeMessage, closeReasoning, type OpenItem } from './response-item.events';
import type { ResponseStreamBuilder } from './response-stream.builder';
import type { OutputItem, ResponseStreamEvent } from './responses.types';

/**
 * The assistant's message and reasoning items of a response, from their first event (or first
 * delta) to their `done` events, by Codex item id. Pure: it only adds to the response it builds.
 */
export class ResponseTextItems {
  private readonly open = new Map<string, OpenItem>();

  constructor(
    private readonly stream: ResponseStreamBuilder,
    private readonly hideReasoning: boolean,
    /** Reasoning items wait for their raw item and carry its `encrypted_content`. */
    private readonly encryptedReasoning: boolean,
    /** Output reasoning item id → encrypted content, filled in as raw items arrive. */
    private readonly encrypted: Record<string, string>,
  ) {}

  private add(codexId: string, item: OutputItem): ResponseStreamEvent[] {
    const out = this.stream.ensureCreated();
    const entry: OpenItem = {
      index: this.stream.response.output.length,
      item,
      sawDelta: false,
      parts: [],
      done: false,
    };
    this.open.set(codexId, entry);
    this.stream.response.output.push(item);
    out.push(this.stream.ev('response.output_item.added', { output_index: entry.index, item: this.stream.copy(item) }));
    if (item.type === 'message') {
      out.push(
        this.stream.ev('response.content_part.added', {
          item_id: item.id,
          output_index: entry.index,
          content_index: 0,
          part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
        }),
      );
    }
    return out;
  }

  started(item: ThreadItem): ResponseStreamEvent[] {
    const id = (prefix: string): string =>
      itemId(prefix, this.stream.response.id, 'output', this.stream.response.output.length);
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

  textDelta(codexId: string, delta: string): ResponseStreamEvent[] {
    // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- started() reads only the type and id of a delta's first item
    const out = this.open.has(codexId) ? [] : this.started({ type: 'agentMessage', id: codexId } as ThreadItem);
    const entry = this.open.get(codexId);
    if (!entry || entry.item.type !== 'message') return out;
    entry.sawDelta = true;
    entry.parts[0] = (entry.parts[0] ?? '') + delta;
    out.push(
      this.stream.ev('response.output_text.delta', {
        item_id: entry.item.id,
        output_index: entry.index,
        content_index: 0,
        delta,
        logprobs: [],
      }),
    );
    return out;
  }

  reasoningDelta(codexId: string, index: number, delta: string): ResponseStreamEvent[] {
    // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- started() reads only the type and id of a delta's first item
    const out = this.open.has(codexId) ? [] : this.started({ type: 'reasoning', id: codexId } as ThreadItem);
    const entry = this.open.get(codexId);
    if (!entry || entry.item.type !== 'reasoning') return out;
    entry.sawDelta = true;
    const base = { item_id: entry.item.id, output_index: entry.index, summary_index: index };
    if (entry.parts[index] === undefined)
      out.push(
        this.stream.ev('response.reasoning_summary_part.added', { ...base, part: { type: 'summary_text', text: '' } }),
      );
    entry.parts[index] = (entry.parts[index] ?? '') + delta;
    out.push(this.stream.ev('response.reasoning_summary_text.delta', { ...base, delta }));
    return out;
  }

  completed(item: ThreadItem): ResponseStreamEvent[] {
    if (item.type !== 'agentMessage' && item.type !== 'reasoning') return [];
    const out = this.open.has(item.id) ? [] : this.started(item);
    const entry = this.open.get(item.id);
    if (!entry || entry.done) return out;
    if (entry.item.type === 'message' && item.type === 'agentMessage') {
      // A provider may send a whole message without deltas; clients that only add up deltas still get it.
      if (!entry.sawDelta && item.text) out.push(...this.textDelta(item.id, item.text));
      out.push(...closeMessage(this.stream, entry, entry.item, item.text));
    } else if (entry.item.type === 'reasoning' && item.type === 'reasoning') {
      if (!entry.sawDelta) item.summary.forEach((text, i) => out.push(...this.reasoningDelta(item.id, i, text)));
      // Codex reports the raw item (with encrypted_content) just after item/completed, by the same id.
      if (this.encryptedReasoning) entry.awaitingRaw = true;
      else out.push(...closeReasoning(this.stream, entry, entry.item));
    }
    return out;
  }

  /** Raw items matter only for encrypted reasoning: attach it to the held item of the same id and close that. */
  rawItem(raw: ResponseItem): ResponseStreamEvent[] {
    const entry = raw.type === 'reasoning' && raw.id ? this.open.get(raw.id) : undefined;
    if (entry && raw.type === 'reasoning' && raw.encrypted_content)
      this.encrypted[entry.item.id] = raw.encrypted_content;
    if (entry?.awaitingRaw && entry.item.type === 'reasoning' && raw.type === 'reasoning') {
      if (raw.encrypted_content) entry.item.encrypted_content = raw.encrypted_content;
      entry.awaitingRaw = false;
      return closeReasoning(this.stream, entry, entry.item);
    }
    return this.releaseHeld();
  }

  /** Closes held reasoning items whose raw item never came (resumed and forked threads get no raw events). */
  releaseHeld(): ResponseStreamEvent[] {
    const out: ResponseStreamEvent[] = [];
    for (const entry of this.open.values()) {
      if (!entry.awaitingRaw || entry.item.type !== 'reasoning') continue;
      entry.awaitingRaw = false;
      out.push(...closeReasoning(this.stream, entry, entry.item));
    }
    return out;
  }

  /** Closes every item still open (the turn ended). */
  closeAll(): ResponseStreamEvent[] {
    const out: ResponseStreamEvent[] = [];
    for (const entry of this.open.values()) {
      if (entry.done) continue;
      if (entry.item.type === 'message') out.push(...closeMessage(this.stream, entry, entry.item));
      else if (entry.item.type === 'reasoning') out.push(...closeReasoning(this.stream, entry, entry.item));
    }
    return out;
  }
}
