import { Logger } from '@nestjs/common';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodexPoolService } from '../src/codex/codex-pool.service';
import { chat, expectRefused, illFormedChat, illFormedResponses, user } from './support/bad-input';
import { TEST_MODELS } from './support/codex-home';
import { startGateway, suiteGateway } from './support/gateway';
import { post, postJson, readSse, sleep, waitFor } from './support/http';
import { sseData, untilFirstContent } from './support/sse';

describe('no request can wedge the engine', () => {
  // Two slots and no queue: one leaked slot would already show as 429s below.
  const gw = suiteGateway({ env: { CODEX_MAX_PARALLEL_REQUESTS: '2', CODEX_MAX_QUEUE: '0', CODEX_TIMEOUT: '10' } });

  it('refuses ill-formed text in every place that reaches Codex, then serves 20 ordinary requests', async () => {
    for (const [, body, expected] of illFormedChat) await expectRefused(gw, body, expected);
    for (const [, body, expected] of illFormedResponses) await expectRefused(gw, body, expected, {}, '/v1/responses');
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r =
        i % 2 === 0
          ? await postJson(`${gw.url}/v1/chat/completions`, chat({ messages: [user(`ordinary ${i} 😀`)] }))
          : await postJson(`${gw.url}/v1/responses`, { model: TEST_MODELS.full, input: `ordinary ${i}`, store: false });
      statuses.push(r.status);
    }
    expect(statuses).toEqual(new Array(20).fill(200));
    expect(gw.app.get(CodexPoolService).restarts).toBe(0);
  });
});

describe('the liveness watchdog', () => {
  const gw = suiteGateway({
    env: {
      CODEX_WATCHDOG_INTERVAL: '1',
      CODEX_WATCHDOG_TIMEOUT: '2',
      CODEX_MAX_PARALLEL_REQUESTS: '1',
      CODEX_MAX_QUEUE: '0',
    },
  });

  it('replaces an app-server stopped with SIGSTOP within its deadline; its stream fails in-band and later requests succeed', async () => {
    const pool = gw.app.get(CodexPoolService);
    const [pid] = pool.pids;
    const res = await post(`${gw.url}/v1/chat/completions`, chat({ stream: true, messages: [user('SCENARIO=stall')] }));
    // Stop the process only once its first tokens are out (a stall scenario then says nothing more).
    const { rest } = await untilFirstContent(res);
    process.kill(pid!, 'SIGSTOP');
    const stoppedAt = Date.now();
    const readyz = async () =>
      (await (await fetch(`${gw.url}/readyz`)).json()) as { reasons: string[]; engine: { watchdogKills: number } };
    // While the hung process is being replaced, readiness says so.
    const reported = waitFor(
      async () => (await readyz()).reasons.some((r) => r.startsWith('engine_unresponsive')),
      10_000,
    );
    try {
      expect(res.status).toBe(200);
      const data = sseData(await rest);
      const failedAfter = Date.now() - stoppedAt;
      // One probe interval plus its deadline, with room for a loaded machine.
      expect(failedAfter).toBeLessThan(1_000 + 2_000 + 3_000);
      expect(data).toContainEqual({
        error: expect.objectContaining({ type: 'server_error', code: 'engine_unresponsive' }),
      });
      expect(data.at(-1)).toBe('[DONE]');
      expect(await reported).toBe(true);
      expect((await readyz()).engine.watchdogKills).toBe(1);
      expect(await waitFor(() => pool.liveCount === 1, 10_000)).toBe(true);
      expect(pool.pids[0]).not.toBe(pid);
      expect(await waitFor(() => !alive(pid!), 5_000)).toBe(true);
      const readyAgain = await waitFor(async () => (await fetch(`${gw.url}/readyz`)).status === 200, 10_000);
      expect(readyAgain).toBe(true);
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      expect(metrics).toMatch(/^codex_wrapper_engine_unresponsive_total 1$/m);
      // The only slot came back: ordinary requests succeed.
      for (let i = 0; i < 3; i++) expect((await postJson(`${gw.url}/v1/chat/completions`, chat())).status).toBe(200);
    } finally {
      if (alive(pid!)) process.kill(pid!, 'SIGKILL');
    }
  });

  it('leaves a healthy, busy app-server alone', async () => {
    const pool = gw.app.get(CodexPoolService);
    const [pid] = pool.pids;
    const r = await postJson(`${gw.url}/v1/chat/completions`, chat({ messages: [user('SCENARIO=slow')] }));
    expect(r.status).toBe(200);
    await sleep(2_500);
    expect(pool.pids).toEqual([pid]);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('first run', () => {
  it('creates a missing Codex home and says once, in the log and in /readyz, that Codex is not signed in and how to sign in', async () => {
    const root = mkdtempSync(join(tmpdir(), 'codex-wrapper-first-run-'));
    const home = join(root, 'no-such-home');
    const warn = jest.spyOn(Logger.prototype, 'warn');
    // No config.toml: Codex falls back to its built-in provider, pointed at a closed loopback port.
    const gw = await startGateway({
      home: { home, workdir: join(root, 'workdir') },
      env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' },
      noWait: true,
    });
    try {
      const ready = await waitFor(
        async () =>
          ((await (await fetch(`${gw.url}/readyz`)).json()) as { codex: { auth: string } }).codex.auth === 'signed_out',
        20_000,
      );
      expect(ready).toBe(true);
      expect(existsSync(home)).toBe(true);
      const res = await fetch(`${gw.url}/readyz`);
      const body = (await res.json()) as { reasons: string[]; engine: { restarts: number } };
      expect(res.status).toBe(503);
      expect(body.reasons.join('\n')).toMatch(/codex_signed_out: .*codex login --device-auth/);
      expect(body.engine.restarts).toBe(0);
      const lines = warn.mock.calls.map(([m]) => String(m)).filter((m) => m.includes('not signed in'));
      expect(lines).toEqual([expect.stringContaining(`CODEX_HOME=${home} codex login --device-auth`)]);
    } finally {
      warn.mockRestore();
      await gw.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('RESPONSES_MAX_RECORD_BYTES', () => {
  const gw = suiteGateway({ env: { RESPONSES_MAX_RECORD_BYTES: '4096' } });
  const tooLarge = { status: 413, type: 'invalid_request_error', code: 'record_too_large' };

  it('refuses, before any turn, input that could not be stored; the same input runs with store: false', async () => {
    await expectRefused(
      gw,
      { model: TEST_MODELS.full, input: 'x'.repeat(5000) },
      { ...tooLarge, param: 'input' },
      {},
      '/v1/responses',
    );
    await expectRefused(
      gw,
      { model: TEST_MODELS.full, input: 'hi', instructions: 'y'.repeat(5000) },
      { ...tooLarge, param: 'input' },
      {},
      '/v1/responses',
    );
    const r = await postJson(`${gw.url}/v1/responses`, {
      model: TEST_MODELS.full,
      input: 'x'.repeat(5000),
      store: false,
    });
    expect(r.status).toBe(200);
  });

  it('refuses to store a record that the answer made too large: 413 for JSON, response.failed in a stream', async () => {
    const r = await postJson(`${gw.url}/v1/responses`, { model: TEST_MODELS.full, input: 'SCENARIO=long' });
    expect(r.status).toBe(413);
    expect(r.body.error).toMatchObject({ type: tooLarge.type, code: tooLarge.code });
    const stream = await post(`${gw.url}/v1/responses`, {
      model: TEST_MODELS.full,
      input: 'SCENARIO=long',
      stream: true,
    });
    const { events, data } = await readSse(stream);
    expect(events).toContain('response.failed');
    expect(events).not.toContain('response.completed');
    expect(JSON.stringify(data.at(-1))).toContain('record_too_large');
  });
});
