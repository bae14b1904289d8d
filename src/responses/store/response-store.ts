import type { JsonValue } from '../../codex/protocol/app-server.protocol';
import type { ResponseObject } from '../responses.types';

/** What the gateway remembers of a stored response. */
export interface StoredResponse {
  id: string;
  /** The Codex thread and turn that produced it. */
  threadId: string;
  turnId: string;
  createdAt: number;
  /** Name of the API key that created it (null when the gateway is open); only that key sees it. */
  owner: string | null;
  previousResponseId: string | null;
  /** Developer instructions the Codex thread was created with (they stick to the thread). */
  threadInstructions: string | null;
  /** Conversation items this response added (its inputs, then its output messages). */
  items: JsonValue[];
  /** The request's input items with their ids (`input_items`, `item_reference`); absent in older records. */
  inputItems?: JsonValue[];
  /**
   * Encrypted content of the response's reasoning items, by item id, kept even when the client
   * did not ask for it: an `item_reference` to one then gives the model the whole reasoning, as
   * OpenAI does for stored items. Never served to clients unasked.
   */
  encryptedReasoning?: Record<string, string>;
  response: ResponseObject;
  /**
   * REPLICA_ID of the gateway whose Codex home holds `threadId`. Another replica rebuilds the
   * conversation from `items` instead; absent in records written before replicas existed (local).
   */
  replica?: string;
  /**
   * Produced by a client-tool turn, on a throwaway thread: a continuation rebuilds the
   * conversation from `items` rather than resuming the thread.
   */
  toolThread?: boolean;
}

/**
 * Storage of response → (thread, turn). The default keeps a file under CODEX_DATA_DIR; with
 * REDIS_URL every replica shares RedisResponseStore under the same token.
 */
export interface ResponseStore {
  get(id: string): Promise<StoredResponse | null>;
  put(record: StoredResponse): Promise<void>;
  delete(id: string): Promise<boolean>;
  /** The id of the newest stored response on a Codex thread. */
  latestOnThread(threadId: string): Promise<string | null>;
  /** False while a shared store cannot be reached, so `store: true` is refused before a turn runs; absent = always. */
  writable?(): boolean;
}

export const RESPONSE_STORE = Symbol('RESPONSE_STORE');
