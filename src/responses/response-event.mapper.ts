import type { CodexEvent, TurnUsage } from '../codex/codex-event.types';
import { itemId } from './response-item-ids';
import { ResponseStreamBuilder } from './response-stream.builder';
import { ResponseTextItems } from './response-text.items';
import { toResponseUsage } from './response-usage';
import type { ResponseObject, ResponseStreamEvent } from './responses.types';
import { toolCallEvents, toolCallItem } from './response-tool-output';

export interface ResponseMapperOptions {
  /** `include: ["reasoning.encrypted_content"]`: reasoning items carry what the provider sent Codex. */
  encryptedReasoning?: boolean;
  /** Client tools whose calls are `custom_tool_call` items. */
  customTools?: ReadonlySet<string>;
  /** False for a JSON answer: its events are never sent (see ResponseStreamBuilder). Default true. */
  streamed?: boolean;
}

/**
 * Pure translation of a turn's events into the Responses stream (every event with `type` and an
 * increasing `sequence_number`) while building the final `response` object, so the streaming
 * and non-streaming answers are the same object. Messages and reasoning are ResponseTextItems';
 * the client tool calls and the end (usage, `output_text`) are here.
 */
export class ResponseEventMapper {
  private readonly stream: ResponseStreamBuilder;
  private readonly items: ResponseTextItems;
  readonly response: ResponseObject;
  /** Output reasoning item id → encrypted content, kept whether or not the client asked to see it. */
  readonly encrypted: Record<string, string> = {};

  constructor(
    base: ResponseObject,
    private readonly hideReasoning: boolean,
    private readonly options: ResponseMapperOptions = {},
  ) {
    this.stream = new ResponseStreamBuilder(base, options.streamed ?? true);
    this.response = this.stream.response;
    this.items = new ResponseTextItems(this.stream, hideReasoning, options.encryptedReasoning === true, this.encrypted);
  }

  /** True once `response.created` went out. */
  get hasStarted(): boolean {
    return this.stream.hasStarted;
  }

  map(event: CodexEvent): ResponseStreamEvent[] {
    if (event.type === 'raw_item') return this.items.rawItem(event.item);
    // Whatever comes next, a reasoning item still waiting for its raw item is closed first: order is kept.
    return [...this.items.releaseHeld(), ...this.mapNext(event)];
  }

  private mapNext(event: CodexEvent): ResponseStreamEvent[] {
    switch (event.type) {
      case 'item_started':
        return this.items.started(event.item);
      case 'text_delta':
        return this.items.textDelta(event.itemId, event.delta);
      case 'reasoning_delta':
        return this.hideReasoning ? [] : this.items.reasoningDelta(event.itemId, event.summaryIndex, event.delta);
      case 'item_completed':
        return this.items.completed(event.item);
      case 'tool_calls': {
        // The response ends with the calls; the Codex turn waits, parked, for their outputs.
        const out = this.stream.ensureCreated();
        for (const call of event.calls) {
          const custom = this.options.customTools?.has(call.name) === true;
          const item = toolCallItem(
            call,
            custom,
            itemId(custom ? 'ctc' : 'fc', this.response.id, 'output', this.response.output.length),
          );
          this.response.output.push(item);
          out.push(
            ...toolCallEvents(item, this.response.output.length - 1, (type, fields) => this.stream.ev(type, fields)),
          );
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
    const out = this.stream.ensureCreated();
    Object.assign(this.response, { status: 'failed', error: { code, message } });
    out.push(this.stream.ev('response.failed', { response: this.stream.snapshot() }));
    return out;
  }

  private finish(usage: TurnUsage): ResponseStreamEvent[] {
    const out = this.stream.ensureCreated();
    out.push(...this.items.closeAll());
    Object.assign(this.response, {
      status: 'completed',
      completed_at: Math.floor(Date.now() / 1000),
      usage: toResponseUsage(usage),
      output_text: this.response.output
        .flatMap((i) => (i.type === 'message' ? i.content.map((c) => c.text) : []))
        .join(''),
    });
    out.push(this.stream.ev('response.completed', { response: this.stream.snapshot() }));
    return out;
  }
}
