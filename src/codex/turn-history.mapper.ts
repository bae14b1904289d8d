import type { JsonValue } from './protocol/app-server.protocol';
import type { TurnSpec } from './turn-spec.types';

/**
 * The items injected before turn/start. A thread gets its developer instructions as the first
 * injected message rather than at thread/start, so a pre-started spare thread serves any system
 * prompt (see SpareThreadsService). `idleLost`: the idle thread the turn was to continue was gone,
 * so the fresh thread it runs on gets the whole history: a stored conversation's earlier items
 * (`rebuilt`, from the store) before the request's own.
 */
export function historyToInject(spec: TurnSpec, idleLost: boolean, rebuilt: readonly JsonValue[] = []): JsonValue[] {
  const { thread, developerInstructions } = spec;
  // The thread has the instructions and the first `seen` items already.
  if (thread.kind === 'loaded' && !idleLost) return spec.history.slice(thread.seen);
  const history = [...rebuilt, ...spec.history];
  if (!developerInstructions) return history;
  return [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: developerInstructions }] },
    ...history,
  ];
}
