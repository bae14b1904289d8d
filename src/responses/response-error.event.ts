import type { OpenAIErrorBody } from '../common/errors/openai-error';
import type { ResponseStreamEvent } from './responses.types';

/**
 * The in-band `error` event of a stream that failed before `response.created`. The error sits
 * under `error` (Open Responses' ErrorStreamingEvent, and what openai-node throws from) and its
 * fields are repeated at the top, where OpenAI's own ResponseErrorEvent puts them.
 */
export function errorEvent(error: OpenAIErrorBody['error']): ResponseStreamEvent {
  const payload = { type: error.type, code: error.code, message: error.message, param: error.param };
  return {
    type: 'error',
    sequence_number: 0,
    error: payload,
    code: error.code,
    message: error.message,
    param: error.param,
  };
}
