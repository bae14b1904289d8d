import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodexPoolService } from '../src/codex/codex-pool.service';
import { CodexAuthService } from '../src/health/codex-auth.service';
import { GracefulShutdownService } from '../src/lifecycle/graceful-shutdown.service';
import { makeCodexHome } from './support/codex-home';
import { FakeProvider } from './support/fake-provider';
import { Gateway, startGateway } from './support/gateway';
import { waitForValue } from './support/http';

interface ReadyBody {
  status: string;
  reasons: string[];
  engine: { live: number; size: number; restarts: number };
  codex: { version: string | null; auth: string; account: string | null };
}

async function readyz(gw: Gateway): Promise<{ status: number; body: ReadyBody }> {
  const res = await fetch(`${gw.url}/readyz`);
  return { status: res.status, body: (await res.json()) as ReadyBody };
}

describe('health and readiness', () => {
  describe('a healthy gateway with API keys and a tight rate limit', () => {
    let gw: Gateway;
    beforeAll(async () => {
      gw = await startGateway({ env: { PROXY_API_KEY: 'secret-key', RATE_LIMIT_PER_MINUTE: '1' } });
    });
    afterAll(() => gw.close());

    it('answers /healthz and /readyz without a key, outside /v1, and never throttles them', async () => {
      for (let i = 0; i < 4; i++) {
        const live = await fetch(`${gw.url}/healthz`);
        expect(live.status).toBe(200);
        expect(await live.json()).toEqual({ status: 'ok' });
        const ready = await readyz(gw);
        expect(ready.status).toBe(200);
        expect((await fetch(`${gw.url}/metrics`, { headers: { authorization: 'Bearer secret-key' } })).status).toBe(
          200,
        );
      }
      expect((await fetch(`${gw.url}/v1/healthz`, { headers: { authorization: 'Bearer secret-key' } })).status).toBe(
        404,
      );
    });

    it('reports the engine, the Codex version and that the provider needs no sign-in', async () => {
      const { body } = await readyz(gw);
      expect(body).toMatchObject({
        status: 'ready',
        reasons: [],
        engine: { live: 1, size: 1 },
        codex: { version: '0.169.0', auth: 'not_required' },
      });
    });

    it('turns not ready while the engine is dead and ready again once the pool restarted it', async () => {
      const pool = gw.app.get(CodexPoolService);
      const [pid] = pool.pids;
      process.kill(pid!, 'SIGKILL');
      const down = await waitForValue(
        () => readyz(gw),
        (r) => r.status === 503,
      );
      expect(down.status).toBe(503);
      expect(down.body.reasons.join('\n')).toContain('engine_down');
      expect(down.body.engine.live).toBe(0);
      const up = await waitForValue(
        () => readyz(gw),
        (r) => r.status === 200,
      );
      expect(up.body.engine).toMatchObject({ live: 1, restarts: 1 });
      expect(pool.pids[0]).not.toBe(pid);
      const metrics = await (
        await fetch(`${gw.url}/metrics`, { headers: { authorization: 'Bearer secret-key' } })
      ).text();
      expect(metrics).toMatch(/^codex_wrapper_engine_restarts_total 1$/m);
    });
  });

  it('while draining for shutdown: not ready, still alive, and API requests on open connections get 503', async () => {
    const gw = await startGateway();
    try {
      gw.app.get(GracefulShutdownService).draining = true;
      const ready = await readyz(gw);
      expect(ready.status).toBe(503);
      expect(ready.body.reasons.join('\n')).toContain('shutting_down');
      expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
      const res = await fetch(`${gw.url}/v1/models`);
      expect(res.status).toBe(503);
      expect(res.headers.get('connection')).toBe('close');
      expect(res.headers.get('retry-after')).toBe('1');
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('server_shutting_down');
    } finally {
      gw.app.get(GracefulShutdownService).draining = false;
      await gw.close();
    }
  });

  it('is not ready when the Codex binary is missing, and says why without leaking paths', async () => {
    const gw = await startGateway({ env: { CODEX_PATH: '/nonexistent/bin/codex' }, noWait: true });
    try {
      const res = await waitForValue(
        () => readyz(gw),
        (r) => r.body.engine.restarts > 0,
      );
      expect(res.status).toBe(503);
      expect(res.body.status).toBe('not_ready');
      expect(res.body.reasons.join('\n')).toContain('engine_down');
      expect(JSON.stringify(res.body)).not.toContain('/nonexistent');
      expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    } finally {
      await gw.close();
    }
  });

  it('is not ready while a provider that needs OpenAI sign-in has none, and ready once signed in', async () => {
    const provider = new FakeProvider();
    await provider.start();
    const dirs = makeCodexHome(provider.baseUrl);
    const config = join(dirs.home, 'config.toml');
    writeFileSync(config, `${readFileSync(config, 'utf8')}requires_openai_auth = true\n`);
    const gw = await startGateway({ provider, home: dirs });
    try {
      const before = await waitForValue(
        () => readyz(gw),
        (r) => r.body.codex.auth !== 'unknown',
      );
      expect(before.status).toBe(503);
      expect(before.body.codex.auth).toBe('signed_out');
      expect(before.body.reasons.join('\n')).toContain('codex_signed_out');
      // What `codex login --with-api-key` leaves in CODEX_HOME. app-server reads it only when it
      // starts, hence "restart the gateway after signing in"; a new engine process stands in here.
      writeFileSync(join(dirs.home, 'auth.json'), JSON.stringify({ OPENAI_API_KEY: 'sk-test' }));
      const pool = gw.app.get(CodexPoolService);
      process.kill(pool.pids[0]!, 'SIGKILL');
      await waitForValue(
        async () => pool.restarts === 1 && pool.liveCount === 1,
        (ok) => ok,
      );
      await waitForValue(
        async () => (await readyz(gw)).body.engine.live,
        (live) => live === 1,
      );
      await gw.app.get(CodexAuthService).refresh();
      const after = await readyz(gw);
      expect(after.status).toBe(200);
      expect(after.body.codex).toMatchObject({ auth: 'signed_in', account: 'apiKey' });
    } finally {
      await gw.close();
      await provider.stop();
    }
  });
});
