import type { ResponseObject, ResponseStreamEvent } from './responses.types';

/**
 * The response object being built, and the numbered events that tell a streaming client about
 * it: every event has `type` and an increasing `sequence_number`, and the stream always opens
 * with `response.created` then `response.in_progress`.
 */
export class ResponseStreamBuilder {
  private seq = 0;
  private created = false;
  readonly response: ResponseObject;

  /**
   * `streamed`: the events reach a client. Without it (a JSON answer) they only feed the final
   * object, so the copies that keep each event as it was when sent are skipped: they were a fifth
   * of the CPU the gateway spent mapping a turn.
   */
  constructor(
    base: ResponseObject,
    private readonly streamed = true,
  ) {
    this.response = { ...base, status: 'in_progress', output: [], usage: null, error: null };
  }

  /** True once `response.created` went out. */
  get hasStarted(): boolean {
    return this.created;
  }

  ev(type: string, fields: Record<string, unknown>): ResponseStreamEvent {
    return { type, sequence_number: this.seq++, ...fields };
  }

  /** A copy of the response as it stands: later events must not change what an earlier one carried. */
  snapshot(): ResponseObject {
    return this.copy(this.response);
  }

  /** `value` as it stands now, for an event: later changes to it must not reach an event already sent. */
  copy<T>(value: T): T {
    return this.streamed ? structuredClone(value) : value;
  }

  /** The opening events, the first time only. */
  ensureCreated(): ResponseStreamEvent[] {
    if (this.created) return [];
    this.created = true;
    return [
      this.ev('response.created', { response: this.snapshot() }),
      this.ev('response.in_progress', { response: this.snapshot() }),
    ];
  }
}
