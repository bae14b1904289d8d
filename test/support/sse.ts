/** One piece of a raw SSE body as it arrived, with when it arrived (ms since the request was sent). */
export interface SseArrival {
  at: number;
  text: string;
}

/** Posts a chat completion with `stream: true` and records every chunk of the raw body as it arrives. */
export async function streamRaw(
  url: string,
  prompt: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; arrivals: SseArrival[]; body: string }> {
  const started = performance.now();
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: prompt }], stream: true }),
  });
  const arrivals: SseArrival[] = [];
  const decoder = new TextDecoder();
  if (res.body)
    for await (const chunk of res.body)
      arrivals.push({ at: performance.now() - started, text: decoder.decode(chunk as Uint8Array, { stream: true }) });
  return { status: res.status, headers: res.headers, arrivals, body: arrivals.map((a) => a.text).join('') };
}

/** The JSON payloads of the `data:` lines of an SSE body, `[DONE]` left as the string. */
export function sseData(body: string): unknown[] {
  return body
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => l.slice(6))
    .map((d) => (d === '[DONE]' ? d : (JSON.parse(d) as unknown)));
}

/**
 * Reads a streamed chat response until its first content chunk has arrived (so a test can act
 * mid-stream on an event rather than after a fixed wait); `rest` reads on and resolves with the whole body.
 */
export async function untilFirstContent(res: Response): Promise<{ rest: Promise<string> }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let body = '';
  while (!body.includes('"content":"')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended early: ${body}`);
    body += decoder.decode(value, { stream: true });
  }
  const rest = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return body;
      body += decoder.decode(value, { stream: true });
    }
  })();
  return { rest };
}
