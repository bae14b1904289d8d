import { NotFoundException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { CodexError, CodexErrorCode } from '../../codex/codex.errors';
import { invalidRequest } from './openai-error';
import { toOpenAIError } from './to-openai-error';

describe('toOpenAIError', () => {
  it.each([
    [CodexErrorCode.QueueFull, 429, 'rate_limit_error'],
    [CodexErrorCode.QueueTimeout, 429, 'rate_limit_error'],
    [CodexErrorCode.EngineUnavailable, 503, 'server_error'],
    [CodexErrorCode.EngineDied, 502, 'server_error'],
    [CodexErrorCode.Timeout, 504, 'server_error'],
    [CodexErrorCode.UpstreamBadRequest, 400, 'invalid_request_error'],
    [CodexErrorCode.ContextWindowExceeded, 400, 'invalid_request_error'],
    [CodexErrorCode.UpstreamRateLimited, 429, 'rate_limit_error'],
    [CodexErrorCode.UsageLimitExceeded, 429, 'rate_limit_error'],
    [CodexErrorCode.UpstreamUnauthorized, 502, 'server_error'],
    [CodexErrorCode.UpstreamUnavailable, 502, 'server_error'],
    [CodexErrorCode.TurnFailed, 502, 'server_error'],
    [CodexErrorCode.ProtocolError, 502, 'server_error'],
    [CodexErrorCode.ShuttingDown, 503, 'server_error'],
    [CodexErrorCode.NonLocalProvider, 400, 'invalid_request_error'],
  ])('maps %s to %i %s', (code, status, type) => {
    const r = toOpenAIError(new CodexError(code, 'internal detail /srv/secret'));
    expect(r.status).toBe(status);
    expect(r.body.error.type).toBe(type);
    if (status >= 500 && code !== CodexErrorCode.Timeout) expect(r.body.error.message).not.toContain('/srv/secret');
  });

  it('sets Retry-After on 429 and 503', () => {
    expect(
      toOpenAIError(new CodexError(CodexErrorCode.QueueFull, 'x', { retryAfterSeconds: 3 })).headers['Retry-After'],
    ).toBe('3');
    expect(toOpenAIError(new CodexError(CodexErrorCode.EngineUnavailable, 'x')).headers['Retry-After']).toBe('1');
    expect(toOpenAIError(new CodexError(CodexErrorCode.ShuttingDown, 'x')).headers['Retry-After']).toBe('1');
  });

  it('keeps the param of validation errors', () => {
    expect(toOpenAIError(invalidRequest('bad', 'messages[0].role')).body.error).toEqual({
      message: 'bad',
      type: 'invalid_request_error',
      param: 'messages[0].role',
      code: null,
    });
  });

  it('maps framework and body-parser errors', () => {
    expect(toOpenAIError(new ThrottlerException()).status).toBe(429);
    expect(toOpenAIError(new NotFoundException()).status).toBe(404);
    expect(toOpenAIError({ type: 'entity.parse.failed', status: 400 }).body.error.code).toBe('invalid_json');
    expect(toOpenAIError({ type: 'entity.too.large', status: 413 }).status).toBe(413);
  });

  it('hides unknown errors behind a bare 500', () => {
    const r = toOpenAIError(new Error('ENOENT /home/me/.codex/auth.json'));
    expect(r).toMatchObject({
      status: 500,
      body: { error: { message: 'Internal server error.', type: 'server_error' } },
    });
  });
});
