/** Plain fetch helpers for cases the SDK would hide (status codes, headers, raw SSE). */
export interface JsonResult {
  status: number;
  headers: Headers;
  body: { error?: { message: string; type: string; param: string | null; code: string | null } } & Record<
    string,
    unknown
  >;
}

/** POSTs `body` as JSON (a string is sent as is, to test malformed bodies) and returns the raw response. */
export function post(
  url: string,
  body: unknown,
  options: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: options.signal,
  });
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonResult> {
  const res = await post(url, body, { headers });
  const text = await res.text();
  let parsed: JsonResult['body'];
  try {
    parsed = JSON.parse(text) as JsonResult['body'];
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Reads an SSE response to the end and returns its `data:` payloads, parsed when JSON. */
export async function readSse(res: Response): Promise<{ events: (string | null)[]; data: unknown[]; raw: string }> {
  const raw = await res.text();
  const events: (string | null)[] = [];
  const data: unknown[] = [];
  for (const block of raw.split('\n\n')) {
    const lines = block.split('\n');
    const payload = lines
      .filter((l) => l.startsWith('data: '))
      .map((l) => l.slice(6))
      .join('\n');
    if (!payload) continue;
    events.push(lines.find((l) => l.startsWith('event: '))?.slice(7) ?? null);
    try {
      data.push(JSON.parse(payload));
    } catch {
      data.push(payload);
    }
  }
  return { events, data, raw };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `predicate` (which may be async) until true or the deadline passes; resolves with its last answer. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  return waitForValue(predicate, (ok) => ok, timeoutMs);
}

/** Polls `fn` until `ok` accepts its value or the deadline passes; resolves with the last value. */
export async function waitForValue<T>(
  fn: () => T | Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (ok(value) || Date.now() >= end) return value;
    await sleep(25);
  }
}
