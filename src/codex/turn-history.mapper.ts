import type { JsonValue } from './protocol/app-server.protocol';
import type { TurnSpec } from './turn-spec.types';

/**
 * The items injected before turn/start. A throwaway thread gets its developer instructions as the
 * first injected message rather than at thread/start, so a pre-started spare thread serves any
 * system prompt (see SpareThreadsService). `idleLost`: the idle thread the turn was to continue
 * was gone, so the fresh thread it runs on gets the whole history.
 */
export function historyToInject(spec: TurnSpec, idleLost: boolean): JsonValue[] {
  const { thread, developerInstructions, history } = spec;
  // The thread has the instructions and the first `seen` items already.
  if (thread.kind === 'loaded' && !idleLost) return history.slice(thread.seen);
  const ephemeral = spec.tools || thread.kind === 'loaded' || (thread.kind === 'new' && thread.ephemeral);
  if (!ephemeral || !developerInstructions) return history;
  return [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: developerInstructions }] },
    ...history,
  ];
}
