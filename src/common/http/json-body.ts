import type { ServerResponse } from 'node:http';

/**
 * A turn's JSON answer, written as is. Express's `res.json` would also hash the body for an ETag
 * and check request freshness, which no API client asks of a POST; on a continuation that was a
 * tenth of the gateway's own time (docs/benchmarks.md).
 */
export function writeJson(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text, 'utf8'));
  res.end(text);
}
