import type { JsonValue } from '../codex/protocol/app-server.protocol';
import type { PreparedResponse } from './response-request.service';
import { storedToolCall } from './response-tool-output';
import type { ResponseObject } from './responses.types';
import { storableCodexItem } from './store/codex-items';
import type { StoredResponse } from './store/response-store';

/** What a finished turn leaves in the store. */
export interface FinishedTurn {
  response: ResponseObject;
  threadId: string;
  turnId: string;
  /** The turn's raw items as the store keeps them (storableCodexItem), in order. */
  raw: JsonValue[];
  encryptedReasoning: Record<string, string>;
  replica: string;
}

/** Pure: the record of a finished turn, as `ResponseStore.put` takes it. */
export function storedRecord(prepared: PreparedResponse, turn: FinishedTurn): StoredResponse {
  const { response } = turn;
  const outputs = response.output.flatMap((item): JsonValue[] => {
    if (item.type === 'message')
      return [
        {
          type: 'message',
          role: 'assistant',
          content: item.content.map((c) => ({ type: 'output_text', text: c.text })),
        },
      ];
    return prepared.tools ? storedToolCall(item, prepared.tools.codexName) : [];
  });
  return {
    id: response.id,
    threadId: turn.threadId,
    turnId: turn.turnId,
    createdAt: response.created_at,
    owner: prepared.owner,
    previousResponseId: prepared.previous?.id ?? null,
    threadInstructions: prepared.spec.developerInstructions,
    items: [...prepared.items, ...outputs],
    // What the model saw: the request's own injected items (the chain's are in the records before), then the turn's.
    ...(prepared.tools ? {} : { codexItems: [...prepared.spec.history.map(storableCodexItem), ...turn.raw] }),
    inputItems: prepared.inputItems,
    encryptedReasoning: turn.encryptedReasoning,
    response: structuredClone({ ...response, status: 'completed' }),
    replica: turn.replica,
    ...(prepared.tools ? { toolThread: true } : {}),
  };
}
