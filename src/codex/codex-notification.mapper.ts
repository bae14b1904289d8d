import { asRecord } from '../util/is-record';
import { CodexError, CodexErrorCode } from './codex.errors';
import { retryAfterFromMessage } from './retry-after';
import { CodexEvent, emptyUsage, TurnUsage } from './codex-event.types';
import type { Notification, TurnError } from './protocol/app-server.protocol';

/**
 * Pure translation of one turn's app-server notifications into {@link CodexEvent}s. Per-turn usage
 * is the sum of `tokenUsage.last` over the turn's distinct usage updates; `total` is the thread's
 * running sum and would overcount a continued thread.
 */
export class TurnNotificationMapper {
  private usage: TurnUsage = emptyUsage();
  private lastTotal = -1;

  constructor(private readonly turnId: string) {}

  map(n: Notification): CodexEvent[] {
    switch (n.method) {
      case 'item/agentMessage/delta':
        return n.params.turnId === this.turnId
          ? [{ type: 'text_delta', itemId: n.params.itemId, delta: n.params.delta }]
          : [];
      case 'item/reasoning/summaryTextDelta':
        return n.params.turnId === this.turnId
          ? [
              {
                type: 'reasoning_delta',
                itemId: n.params.itemId,
                delta: n.params.delta,
                summaryIndex: n.params.summaryIndex,
              },
            ]
          : [];
      case 'item/started':
        return n.params.turnId === this.turnId ? [{ type: 'item_started', item: n.params.item }] : [];
      case 'item/completed':
        return n.params.turnId === this.turnId ? [{ type: 'item_completed', item: n.params.item }] : [];
      case 'rawResponseItem/completed':
        return n.params.turnId === this.turnId ? [{ type: 'raw_item', item: n.params.item }] : [];
      case 'rawResponse/completed': {
        if (n.params.turnId !== this.turnId) return [];
        const u = n.params.usage;
        const usage =
          u === null
            ? null
            : {
                inputTokens: u.inputTokens,
                cachedInputTokens: u.cachedInputTokens,
                outputTokens: u.outputTokens,
                reasoningOutputTokens: u.reasoningOutputTokens,
                totalTokens: u.totalTokens,
              };
        return [{ type: 'raw_response_completed', responseId: n.params.responseId, usage }];
      }
      case 'thread/tokenUsage/updated': {
        if (n.params.turnId !== this.turnId) return [];
        const { total, last } = n.params.tokenUsage;
        if (total.totalTokens === this.lastTotal) return [];
        this.lastTotal = total.totalTokens;
        this.usage = {
          inputTokens: this.usage.inputTokens + last.inputTokens,
          cachedInputTokens: this.usage.cachedInputTokens + last.cachedInputTokens,
          outputTokens: this.usage.outputTokens + last.outputTokens,
          reasoningOutputTokens: this.usage.reasoningOutputTokens + last.reasoningOutputTokens,
          totalTokens: this.usage.totalTokens + last.totalTokens,
        };
        return [{ type: 'usage', usage: { ...this.usage } }];
      }
      case 'turn/completed': {
        const { turn } = n.params;
        if (turn.id !== this.turnId) return [];
        if (turn.status === 'completed') return [{ type: 'completed', usage: { ...this.usage } }];
        if (turn.status === 'interrupted')
          return [{ type: 'failed', error: new CodexError(CodexErrorCode.Interrupted, 'turn interrupted') }];
        return [{ type: 'failed', error: classifyTurnError(turn.error) }];
      }
      default:
        return [];
    }
  }
}

function httpStatusOf(info: unknown): number | null {
  if (typeof info !== 'object' || info === null) return null;
  for (const value of Object.values(info)) {
    if (typeof value === 'object' && value !== null) {
      const status: unknown = (value as { httpStatusCode?: unknown }).httpStatusCode;
      if (typeof status === 'number') return status;
    }
  }
  return null;
}

/** Codex passes a provider's 4xx body through raw as the message; recover OpenAI's own message from it. */
function providerMessage(message: string): string | null {
  try {
    const text = asRecord(asRecord(JSON.parse(message)).error).message;
    return typeof text === 'string' ? text : null;
  } catch {
    return null;
  }
}

export function classifyTurnError(error: TurnError | null): CodexError {
  const message = error?.message ?? 'turn failed';
  const info: unknown = error?.codexErrorInfo ?? null;
  const cause = { cause: error };
  if (info === 'contextWindowExceeded') return new CodexError(CodexErrorCode.ContextWindowExceeded, message, cause);
  // The provider's own wait, not a guess of ours, whenever Codex passes one on.
  const retry = { ...cause, retryAfterSeconds: retryAfterFromMessage(message) ?? undefined };
  if (info === 'usageLimitExceeded' || info === 'sessionBudgetExceeded')
    return new CodexError(CodexErrorCode.UsageLimitExceeded, message, retry);
  if (info === 'rateLimitExceeded' || httpStatusOf(info) === 429)
    return new CodexError(CodexErrorCode.UpstreamRateLimited, message, retry);
  if (info === 'unauthorized' || httpStatusOf(info) === 401)
    return new CodexError(CodexErrorCode.UpstreamUnauthorized, message, cause);
  const fromProvider = providerMessage(message);
  if (info === 'badRequest' || info === 'modelNotFound' || fromProvider !== null) {
    // Only the provider's own error message is meant for clients; Codex's text may name server internals.
    return new CodexError(
      CodexErrorCode.UpstreamBadRequest,
      fromProvider ?? 'The model provider rejected the request.',
      cause,
    );
  }
  if (info === 'internalServerError' || info === 'serverOverloaded' || httpStatusOf(info) !== null) {
    return new CodexError(CodexErrorCode.UpstreamUnavailable, message, cause);
  }
  return new CodexError(CodexErrorCode.TurnFailed, message, cause);
}
