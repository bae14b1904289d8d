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

  constructor(base: ResponseObject) {
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
    return structuredClone(this.response);
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
