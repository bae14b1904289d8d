import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { OpenAIHttpException } from '../../common/errors/openai-error';
import type { ResponseStore, StoredResponse } from './response-store';

/** What a stored record costs, as every store writes it: its JSON, in UTF-8 bytes. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

export function recordTooLarge(bytes: number, max: number, param: string | null): OpenAIHttpException {
  return new OpenAIHttpException(
    413,
    `This response would be stored as ${bytes} bytes; this server stores at most ${max} bytes per response (RESPONSES_MAX_RECORD_BYTES). Send less input or set store: false.`,
    'invalid_request_error',
    param,
    'record_too_large',
  );
}

/**
 * The size cap in front of whichever store is configured (file, Redis, …), so each enforces it
 * the same way: one huge record would otherwise cost its size in every read of it.
 */
export class SizeCappedResponseStore implements ResponseStore, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ResponseStore');

  constructor(
    private readonly inner: ResponseStore,
    private readonly maxBytes: number,
  ) {}

  // Nest sees only this wrapper: the inner store's boot read and its close after the drain run through it.
  async onModuleInit(): Promise<void> {
    await (this.inner as Partial<OnModuleInit>).onModuleInit?.();
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    await (this.inner as Partial<OnApplicationShutdown>).onApplicationShutdown?.(signal);
  }

  writable(): boolean {
    return this.inner.writable?.() ?? true;
  }

  get(id: string): Promise<StoredResponse | null> {
    return this.inner.get(id);
  }

  /**
   * A record whose Codex items push it over the cap is kept without them (its continuation then
   * rebuilds from the text `items`, as records from before them do): the response stays usable.
   */
  put(record: StoredResponse): Promise<void> {
    // Measured on the JSON the store then writes, handed on so the record is serialised once.
    const json = JSON.stringify(record);
    let bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > this.maxBytes && record.codexItems) {
      const rest: StoredResponse = { ...record };
      delete rest.codexItems;
      const smallerJson = JSON.stringify(rest);
      const smaller = Buffer.byteLength(smallerJson, 'utf8');
      if (smaller <= this.maxBytes) {
        this.logger.warn(
          `response ${record.id}: stored without its Codex items (${bytes} bytes with them, cap ${this.maxBytes}); a continuation rebuilds it from its messages`,
        );
        return this.inner.put(rest, smallerJson);
      }
      bytes = smaller;
    }
    if (bytes > this.maxBytes) return Promise.reject(recordTooLarge(bytes, this.maxBytes, null));
    return this.inner.put(record, json);
  }

  delete(id: string): Promise<boolean> {
    return this.inner.delete(id);
  }
}
