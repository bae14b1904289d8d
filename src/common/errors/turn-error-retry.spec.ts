import { classifyTurnError } from '../../codex/codex-notification.mapper';
import type { TurnError } from '../../codex/protocol/app-server.protocol';
import { toOpenAIError } from './to-openai-error';

// The engine classifies a turn error; the wire mapper turns the provider's own wait into Retry-After.
describe('classifyTurnError and the provider’s own wait', () => {
  it('passes on the wait the provider named instead of a default', () => {
    const usage = classifyTurnError({
      message: "You've hit your usage limit. Try again in 2 hours.",
      codexErrorInfo: 'usageLimitExceeded',
      additionalDetails: null,
    } as TurnError);
    expect(toOpenAIError(usage).headers['Retry-After']).toBe('7200');
    const rate = classifyTurnError({
      message: 'Rate limit reached. Please try again in 20s.',
      codexErrorInfo: { responseTooManyFailedAttempts: { httpStatusCode: 429 } },
      additionalDetails: null,
    } as TurnError);
    expect(toOpenAIError(rate)).toMatchObject({ status: 429, headers: { 'Retry-After': '20' } });
    const bare = classifyTurnError({
      message: 'exceeded retry limit, last status: 429 Too Many Requests',
      codexErrorInfo: { responseTooManyFailedAttempts: { httpStatusCode: 429 } },
      additionalDetails: null,
    } as TurnError);
    expect(toOpenAIError(bare).headers['Retry-After']).toBe('1');
  });
});
