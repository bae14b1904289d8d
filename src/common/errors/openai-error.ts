import { HttpException } from '@nestjs/common';

export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'server_error';

/** The body OpenAI returns for every error: `{"error":{message,type,param,code}}`. */
export interface OpenAIErrorBody {
  error: { message: string; type: OpenAIErrorType; param: string | null; code: string | null };
}

export interface OpenAIErrorResponse {
  status: number;
  body: OpenAIErrorBody;
  headers: Record<string, string>;
}

/** An HTTP error that already knows its OpenAI shape; thrown by guards, pipes and services. */
export class OpenAIHttpException extends HttpException {
  constructor(
    status: number,
    message: string,
    readonly errorType: OpenAIErrorType,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message, status);
  }
}

export function invalidRequest(
  message: string,
  param: string | null = null,
  code: string | null = null,
): OpenAIHttpException {
  return new OpenAIHttpException(400, message, 'invalid_request_error', param, code);
}

export function notFound(message: string, param: string | null, code: string): OpenAIHttpException {
  return new OpenAIHttpException(404, message, 'invalid_request_error', param, code);
}
