import { Agent, request } from 'node:http';
import { failedRun, RunResult } from './bench.types';

/** One frame's payload, as far as the benchmark needs to look into it. */
interface ChunkLike {
  error?: unknown;
  choices?: { delta?: { content?: string }; message?: { content?: string } }[];
}

/**
 * One Chat Completions request over plain `node:http` with a keep-alive agent: the thinnest
 * client there is, so that the figures describe the gateway and not a client library.
 */
export function chatRequest(
  agent: Agent,
  baseUrl: string,
  model: string,
  prompt: string,
  stream: boolean,
): Promise<RunResult> {
  const startedAt = performance.now();
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: prompt }], stream });
  return new Promise<RunResult>((resolve) => {
    const req = request(
      `${baseUrl}/v1/chat/completions`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let firstTokenAt: number | null = null;
        let text = '';
        let error: string | null = res.statusCode === 200 ? null : `HTTP ${res.statusCode ?? '?'}`;
        let done = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (!stream) return;
          let end: number;
          while ((end = text.indexOf('\n\n')) >= 0) {
            const frame = text.slice(0, end);
            text = text.slice(end + 2);
            if (!frame.startsWith('data: ')) continue;
            const data = frame.slice(6);
            if (data === '[DONE]') {
              done = true;
              continue;
            }
            const parsed = JSON.parse(data) as ChunkLike;
            if (parsed.error !== undefined) error = `error frame: ${JSON.stringify(parsed.error)}`;
            if (firstTokenAt === null && (parsed.choices?.[0]?.delta?.content ?? '') !== '')
              firstTokenAt = performance.now();
          }
        });
        res.on('end', () => {
          const endedAt = performance.now();
          if (!stream && error === null) {
            const parsed = JSON.parse(text) as ChunkLike;
            if (!parsed.choices?.[0]?.message?.content) error = 'empty completion';
          }
          if (stream && error === null && !done) error = 'stream ended without [DONE]';
          if (error !== null) {
            resolve({ ...failedRun(startedAt, `${error} ${stream ? '' : text.slice(0, 200)}`), endedAt });
            return;
          }
          const firstTokenMs = firstTokenAt === null ? null : firstTokenAt - startedAt;
          resolve({
            ok: true,
            error: null,
            totalMs: endedAt - startedAt,
            firstTokenMs,
            startedAt,
            firstTokenAt,
            endedAt,
          });
        });
        res.on('error', (err) => resolve(failedRun(startedAt, err)));
      },
    );
    req.on('error', (err) => resolve(failedRun(startedAt, err)));
    req.end(body);
  });
}
