import type { JsonValue } from '../protocol/app-server.protocol';
import type { ThreadTarget, TurnSpec } from '../turn-spec.types';
import { answeredItems } from './conversation-chain';

/**
 * How a completed turn's thread is kept for the conversation's next turn, or null to unload it: a
 * stored thread by its id, a chat thread under the conversation as its client will send it back.
 * A turn whose input had images is not kept (its images exist only as files of that request).
 * `first` is the turn's first request, `segment` the one its last answer replied to (they differ
 * when a parked turn was continued).
 */
export function keepAs(
  first: TurnSpec,
  segment: TurnSpec,
  stored: boolean,
  answer: string,
): { stored: true } | { scope: string; items: JsonValue[] } | null {
  if (stored) return { stored: true };
  const scope = segment.conversation?.scope;
  const target = first.thread;
  const ephemeral = target.kind === 'loaded' || segment.tools || (target.kind === 'new' && target.ephemeral);
  if (!scope || !ephemeral || segment.input.some((i) => i.type !== 'text')) return null;
  return { scope, items: answeredItems(segment.history, segment.input, answer) };
}

/**
 * Gives back an idle thread that a request claimed but never ran a turn on (it left, or its wait
 * for a slot timed out): unloaded, a stored one before `lease` (its lock) is released.
 */
export function releaseUnopened(target: ThreadTarget, lease: (() => void) | null): void {
  if (target.kind === 'loaded' && target.conn.alive)
    return void target.conn.unloadThread(target.threadId, false).finally(() => lease?.());
  if (target.kind === 'resume' && target.loaded?.alive)
    return void target.loaded.unloadThread(target.threadId, true).finally(() => lease?.());
  lease?.();
}
