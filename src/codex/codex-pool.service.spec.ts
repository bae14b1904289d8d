import { ConsoleLogger, Logger } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodexConfig } from '../config/codex.config';
import { CodexPoolService } from './codex-pool.service';
import { CodexErrorCode } from './codex.errors';
import { FakeProcessRunner, settle } from './fake-app-server.testing';

const until = async (predicate: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('CodexPoolService over the process seam', () => {
  // The restarts below log errors on purpose.
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(() => {
    Logger.overrideLogger(new ConsoleLogger());
  });
  const dir = mkdtempSync(join(tmpdir(), 'pool-spec-'));
  let pool: CodexPoolService | null = null;
  afterEach(async () => {
    await pool?.beforeApplicationShutdown();
    pool = null;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function start(
    overrides: Partial<CodexConfig> = {},
    onSpawn?: FakeProcessRunner['onSpawn'],
  ): { pool: CodexPoolService; runner: FakeProcessRunner } {
    const runner = new FakeProcessRunner();
    if (onSpawn) runner.onSpawn = onSpawn;
    const config = {
      binPath: '/fake/codex',
      home: join(dir, 'home'),
      workdir: join(dir, 'work'),
      childEnv: {},
      poolSize: 2,
      rpcTimeoutMs: 0,
      watchdogIntervalMs: 0,
      watchdogTimeoutMs: 0,
      ...overrides,
    } as unknown as CodexConfig;
    pool = new CodexPoolService(config, runner);
    pool.onApplicationBootstrap();
    return { pool, runner };
  }

  it('starts and initializes every slot, then balances turns to the least busy process', async () => {
    const { pool, runner } = start();
    await pool.ready;
    await until(() => pool.liveCount === 2);
    for (const fake of runner.spawned) {
      expect(fake.callsOf('initialize')[0]?.params).toMatchObject({ capabilities: { experimentalApi: true } });
      expect(fake.notifications.map((n) => n.method)).toEqual(['initialized']);
    }
    expect(pool.version).toBe('0.169.0');
    const first = pool.acquire();
    first.beginTurn();
    expect(pool.acquire()).not.toBe(first);
  });

  it('restarts a process that exits, routing around it meanwhile, and says why when none is left', async () => {
    const { pool, runner } = start({ poolSize: 1 });
    await pool.ready;
    const conn = pool.acquire();
    runner.spawned[0]?.stderr.write('panic: something broke\n');
    await settle();
    runner.spawned[0]?.exit(101);
    expect(() => pool.acquire()).toThrow(
      expect.objectContaining({
        code: CodexErrorCode.EngineUnavailable,
        message: expect.stringContaining('exited with 101'),
      }),
    );
    expect({ restarts: pool.restarts, kills: runner.kills }).toEqual({ restarts: 1, kills: ['SIGKILL'] });
    // The first restart waits 250 ms.
    await until(() => pool.liveCount === 1);
    expect(runner.spawned).toHaveLength(2);
    expect(pool.acquire()).not.toBe(conn);
  });

  it('kills and replaces a process whose initialize fails', async () => {
    const { pool, runner } = start({ poolSize: 1 }, (fake, index) => {
      if (index === 0) fake.script('initialize', () => ({ error: 'bad config' }));
    });
    await until(() => runner.spawned.length === 1 && runner.spawned[0]!.exited);
    // Killed at once (and again on its exit), never told `initialized`, and not offered to turns.
    expect({ kills: runner.kills, live: pool.liveCount, told: runner.spawned[0]!.notifications }).toEqual({
      kills: ['SIGKILL', 'SIGKILL'],
      live: 0,
      told: [],
    });
    await pool.ready;
    expect({
      spawned: runner.spawned.length,
      restarts: pool.restarts,
      live: pool.liveCount,
      lastError: pool.lastError,
    }).toEqual({ spawned: 2, restarts: 1, live: 1, lastError: null });
  });

  it('gives up a hung process (watchdog), fails its calls with engine_unresponsive and replaces it', async () => {
    const { pool, runner } = start({
      poolSize: 1,
      watchdogIntervalMs: 10,
      watchdogTimeoutMs: 20,
    });
    await pool.ready;
    const conn = pool.acquire();
    const fake = runner.spawned[0]!;
    fake.script('thread/loaded/list', () => 'silent');
    fake.script('turn/start', () => 'silent');
    const call = conn.request('turn/start', { threadId: 't', input: [] });
    await expect(call).rejects.toMatchObject({
      code: CodexErrorCode.EngineUnresponsive,
      message: expect.stringContaining('CODEX_WATCHDOG_TIMEOUT'),
    });
    expect(pool.unresponsiveKills).toBe(1);
    await until(() => pool.liveCount === 1 && pool.hungCount === 0);
    expect(pool.acquire()).not.toBe(conn);
  });

  it("on shutdown closes every process's stdin and restarts none", async () => {
    const { pool, runner } = start();
    await until(() => pool.liveCount === 2);
    await pool.beforeApplicationShutdown();
    expect(runner.spawned.map((f) => f.exited)).toEqual([true, true]);
    await new Promise((r) => setTimeout(r, 300));
    expect({ spawned: runner.spawned.length, restarts: pool.restarts, live: pool.liveCount }).toEqual({
      spawned: 2,
      restarts: 0,
      live: 0,
    });
  });
});
