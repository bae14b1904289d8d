import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { OpenAIErrorBody } from '../errors/openai-error';

interface ClientError extends Error {
  code?: string;
}

function statusOf(err: ClientError): [number, string, string] {
  if (err.code === 'HPE_HEADER_OVERFLOW') return [431, 'Request Header Fields Too Large', 'headers_too_large'];
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'Request Timeout', 'request_timeout'];
  return [400, 'Bad Request', 'bad_http_request'];
}

const MESSAGES: Record<number, string> = {
  431: 'The request headers are larger than this server accepts.',
  408: 'The request took too long to arrive.',
  400: 'The HTTP request could not be parsed.',
};

/**
 * Requests Node's HTTP parser refuses (headers over the limit, malformed requests) never reach
 * Express; Node would answer with an empty body. They get the same OpenAI error body as the rest.
 */
export function answerClientErrorsAsOpenAI(server: Server): void {
  server.on('clientError', (err: ClientError, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, reason, code] = statusOf(err);
    const body: OpenAIErrorBody = {
      error: { message: MESSAGES[status] ?? reason, type: 'invalid_request_error', param: null, code },
    };
    const json = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
    );
  });
}
