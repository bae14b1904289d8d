import type { JsonValue } from '../protocol/app-server.protocol';
import type { ThreadTarget, TurnSpec } from '../turn-spec.types';
import { answeredItems } from './conversation-chain';

/**
 * How a completed turn's thread is kept for the conversation's next turn, or null to unload it: a
 * stored Responses conversation by its thread and this turn's id (`turnId`), a chat thread under
 * the conversation as its client will send it back. A chat turn whose input had images is not
 * kept (its images exist only as files of that request, so the client's resent history could not
 * match). `first` is the turn's first request, `segment` the one its last answer replied to (they
 * differ when a parked turn was continued).
 */
export function keepAs(
  first: TurnSpec,
  segment: TurnSpec,
  turnId: string,
  answer: string,
): { head: string } | { scope: string; items: JsonValue[] } | null {
  const how = segment.conversation;
  if (!how) return null;
  if ('head' in how) return { head: turnId };
  if (segment.input.some((i) => i.type !== 'text')) return null;
  return { scope: how.scope, items: answeredItems(segment.history, segment.input, answer) };
}

/**
 * Gives back an idle thread that a request claimed but never ran a turn on (it left, or its wait
 * for a slot timed out).
 */
export function releaseUnopened(target: ThreadTarget): void {
  if (target.kind === 'loaded' && target.conn.alive) void target.conn.unloadThread(target.threadId, false);
}
