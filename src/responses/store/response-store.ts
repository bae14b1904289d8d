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
  /** Conversation items this response added (its inputs, then its output messages), as text. */
  items: JsonValue[];
  /**
   * What the model saw of this turn, exactly as Codex put it into its conversation: the request's
   * own injected history items, then the turn's raw items (rawResponseItem/completed) in order: the
   * user message, reasoning with `encrypted_content`, the agent's own command calls and their
   * `function_call_output`s, custom tool calls, the answer. A continuation that cannot run on the
   * conversation's loaded thread injects the chain's Codex items into a new thread
   * (`conversationItems`), so the model sees the history it would have seen on Codex's own thread.
   * Image data is left out (`[image]`). Absent in records from before it, in client-tool turns
   * (rebuilt from `items`), and when it would push the record over RESPONSES_MAX_RECORD_BYTES.
   */
  codexItems?: JsonValue[];
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
   * REPLICA_ID of the gateway that ran the turn (for operators); a continuation anywhere else finds
   * no loaded thread and rebuilds. Absent in records written before replicas existed.
   */
  replica?: string;
  /**
   * Produced by a client-tool turn, on a throwaway thread: a continuation rebuilds the
   * conversation from `items` rather than continuing the thread.
   */
  toolThread?: boolean;
}

/**
 * Storage of response → (thread, turn). The default keeps a file under CODEX_DATA_DIR; with
 * REDIS_URL every replica shares RedisResponseStore under the same token.
 */
export interface ResponseStore {
  get(id: string): Promise<StoredResponse | null>;
  /** `json`: `JSON.stringify(record)` when the caller has made it already (the size cap does), so it is made once. */
  put(record: StoredResponse, json?: string): Promise<void>;
  delete(id: string): Promise<boolean>;
  /** False while a shared store cannot be reached, so `store: true` is refused before a turn runs; absent = always. */
  writable?(): boolean;
}

export const RESPONSE_STORE = Symbol('RESPONSE_STORE');
