import { Agent, request } from 'node:http';
import { failedRun, RunResult } from './bench.types';

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

/** One non-streamed JSON POST, timed from sending to the whole body; `json` is null unless it was a 200 with JSON. */
export function postTimed(
  agent: Agent,
  url: string,
  payload: unknown,
): Promise<{ run: RunResult; json: Record<string, unknown> | null }> {
  const startedAt = performance.now();
  const body = JSON.stringify(payload);
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const endedAt = performance.now();
          if (res.statusCode !== 200) {
            resolve({
              run: { ...failedRun(startedAt, `HTTP ${res.statusCode ?? '?'} ${text.slice(0, 200)}`), endedAt },
              json: null,
            });
            return;
          }
          let json: Record<string, unknown>;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // A 200 that is not JSON is a failed run, not an exception thrown out of the stream handler.
            resolve({ run: { ...failedRun(startedAt, `not JSON: ${text.slice(0, 200)}`), endedAt }, json: null });
            return;
          }
          resolve({
            run: {
              ok: true,
              error: null,
              totalMs: endedAt - startedAt,
              firstTokenMs: null,
              startedAt,
              firstTokenAt: null,
              endedAt,
            },
            json,
          });
        });
        res.on('error', (err) => resolve({ run: failedRun(startedAt, err), json: null }));
      },
    );
    req.on('error', (err) => resolve({ run: failedRun(startedAt, err), json: null }));
    req.end(body);
  });
}

/** A chat request with a whole conversation; returns the assistant's answer for the next turn. */
export async function chatTurn(
  agent: Agent,
  baseUrl: string,
  model: string,
  messages: ChatMessage[],
): Promise<{ run: RunResult; answer: string }> {
  const { run, json } = await postTimed(agent, `${baseUrl}/v1/chat/completions`, { model, messages });
  const choices = json?.choices as { message?: { content?: string } }[] | undefined;
  const answer = choices?.[0]?.message?.content ?? '';
  if (run.ok && answer === '') return { run: { ...run, ok: false, error: 'empty completion' }, answer };
  return { run, answer };
}

/** A stored Responses turn, continuing `previous` when given; returns the new response id. */
export async function responsesTurn(
  agent: Agent,
  baseUrl: string,
  model: string,
  input: string,
  previous: string | null,
): Promise<{ run: RunResult; id: string | null }> {
  const payload = previous ? { model, input, previous_response_id: previous } : { model, input };
  const { run, json } = await postTimed(agent, `${baseUrl}/v1/responses`, payload);
  const id = typeof json?.id === 'string' ? json.id : null;
  if (run.ok && json?.status !== 'completed')
    return { run: { ...run, ok: false, error: `status ${String(json?.status)}` }, id };
  return { run, id };
}
