import { CodexErrorCode } from './codex.errors';
import { classifyTurnError, TurnNotificationMapper } from './codex-notification.mapper';
import type { Notification, TokenUsageBreakdown, TurnError } from './protocol/app-server.protocol';

const usage = (input: number, output: number): TokenUsageBreakdown => ({
  totalTokens: input + output,
  inputTokens: input,
  cachedInputTokens: 1,
  cacheWriteInputTokens: 0,
  outputTokens: output,
  reasoningOutputTokens: 0,
});

function usageUpdate(turnId: string, total: TokenUsageBreakdown, last: TokenUsageBreakdown): Notification {
  return {
    method: 'thread/tokenUsage/updated',
    params: { threadId: 't', turnId, tokenUsage: { total, last, modelContextWindow: null } },
  };
}

describe('TurnNotificationMapper', () => {
  it('maps deltas of its own turn only', () => {
    const m = new TurnNotificationMapper('turn-1');
    const mine = {
      method: 'item/agentMessage/delta',
      params: { threadId: 't', turnId: 'turn-1', itemId: 'i', delta: 'Hi' },
    } as Notification;
    const other = {
      method: 'item/agentMessage/delta',
      params: { threadId: 't', turnId: 'turn-0', itemId: 'i', delta: 'old' },
    } as Notification;
    expect(m.map(mine)).toEqual([{ type: 'text_delta', itemId: 'i', delta: 'Hi' }]);
    expect(m.map(other)).toEqual([]);
  });

  it('passes raw response items and per-response usage of its own turn through', () => {
    const m = new TurnNotificationMapper('turn-3');
    const item = { type: 'function_call', name: 'get_weather', arguments: '{"city":"Paris"}', call_id: 'call_1' };
    const raw = {
      method: 'rawResponseItem/completed',
      params: { threadId: 't', turnId: 'turn-3', item },
    } as Notification;
    const done = {
      method: 'rawResponse/completed',
      params: { threadId: 't', turnId: 'turn-3', responseId: 'resp_1', usage: usage(100, 10), usageMetadata: null },
    } as Notification;
    const foreign = {
      method: 'rawResponseItem/completed',
      params: { threadId: 't', turnId: 'turn-0', item },
    } as Notification;
    expect(m.map(raw)).toEqual([{ type: 'raw_item', item }]);
    expect(m.map(done)).toEqual([
      {
        type: 'raw_response_completed',
        responseId: 'resp_1',
        usage: { inputTokens: 100, cachedInputTokens: 1, outputTokens: 10, reasoningOutputTokens: 0, totalTokens: 110 },
      },
    ]);
    expect(m.map(foreign)).toEqual([]);
  });

  it('sums `last` over distinct usage updates, ignoring the thread total and repeats', () => {
    const m = new TurnNotificationMapper('turn-2');
    // A continued thread: the running total already holds an earlier turn's 100 tokens.
    m.map(usageUpdate('turn-2', usage(150, 10), usage(40, 10)));
    m.map(usageUpdate('turn-2', usage(150, 10), usage(40, 10)));
    const events = m.map(usageUpdate('turn-2', usage(200, 15), usage(50, 5)));
    expect(events).toEqual([
      {
        type: 'usage',
        usage: { inputTokens: 90, cachedInputTokens: 2, outputTokens: 15, reasoningOutputTokens: 0, totalTokens: 105 },
      },
    ]);
  });

  it('ends with completed, interrupted or failed', () => {
    const done = (status: string, error: TurnError | null = null): Notification =>
      ({
        method: 'turn/completed',
        params: { threadId: 't', turn: { id: 'x', status, error, items: [] } },
      }) as unknown as Notification;
    expect(new TurnNotificationMapper('x').map(done('completed'))[0]?.type).toBe('completed');
    expect(new TurnNotificationMapper('x').map(done('interrupted'))[0]).toMatchObject({
      type: 'failed',
      error: { code: CodexErrorCode.Interrupted },
    });
    expect(new TurnNotificationMapper('x').map(done('failed'))[0]).toMatchObject({
      type: 'failed',
      error: { code: CodexErrorCode.TurnFailed },
    });
  });
});

describe('classifyTurnError', () => {
  const err = (message: string, codexErrorInfo: unknown): TurnError =>
    ({ message, codexErrorInfo, additionalDetails: null, misalignment: null }) as TurnError;
  it.each([
    [err('x', 'contextWindowExceeded'), CodexErrorCode.ContextWindowExceeded],
    [err('x', 'usageLimitExceeded'), CodexErrorCode.UsageLimitExceeded],
    [
      err('exceeded retry limit', { responseTooManyFailedAttempts: { httpStatusCode: 429 } }),
      CodexErrorCode.UpstreamRateLimited,
    ],
    [err('x', 'unauthorized'), CodexErrorCode.UpstreamUnauthorized],
    [err('{"error":{"message":"bad thing"}}', 'other'), CodexErrorCode.UpstreamBadRequest],
    [err('high demand', 'internalServerError'), CodexErrorCode.UpstreamUnavailable],
    [err('disconnected', { responseStreamDisconnected: { httpStatusCode: null } }), CodexErrorCode.TurnFailed],
    [err('mystery', 'other'), CodexErrorCode.TurnFailed],
  ])('classifies %j', (e, code) => {
    expect(classifyTurnError(e).code).toBe(code);
  });

  it('does not pass on the text of Codex for a bad request, which may name server internals', () => {
    const e = classifyTurnError(err('failed to read /srv/codex-home/secret: permission denied', 'badRequest'));
    expect(e.code).toBe(CodexErrorCode.UpstreamBadRequest);
    expect(e.message).not.toContain('/srv');
  });

  it('recovers the provider message of a raw 400 body', () => {
    expect(classifyTurnError(err('{"error":{"message":"bad thing"}}', 'other')).message).toBe('bad thing');
  });
});
