import { ThrottlerException } from '@nestjs/throttler';
import { CodexError, CodexErrorCode } from '../../codex/codex.errors';
import { errorReason } from './error-reason';
import { invalidRequest, OpenAIHttpException } from './openai-error';

describe('errorReason', () => {
  it.each([
    [new CodexError(CodexErrorCode.QueueFull, 'x'), 'queue_full'],
    [new CodexError(CodexErrorCode.QueueTimeout, 'x'), 'queue_timeout'],
    [new CodexError(CodexErrorCode.ShuttingDown, 'x'), 'shutting_down'],
    [new OpenAIHttpException(401, 'no', 'authentication_error', null, 'invalid_api_key'), 'invalid_api_key'],
    [invalidRequest('bad'), 'invalid_request_error'],
    [new ThrottlerException(), 'rate_limit_exceeded'],
    [{ type: 'entity.parse.failed', status: 400 }, 'invalid_json'],
    [new Error('secret detail'), 'server_error'],
  ])('tags %p as %s', (err, reason) => {
    expect(errorReason(err)).toBe(reason);
  });
});
