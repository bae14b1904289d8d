// `npm run bench`: the gateway against a bare `codex app-server` client, both driving the same
// pinned Codex binary against the fake provider. Method and figures: docs/benchmarks.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveCodexBinary } from '../src/codex/codex-binary';
import { APP_SERVER_ARGS } from '../src/codex/codex-launch';
import { makeCodexHome, TEST_MODELS } from '../test/support/codex-home';
import { FakeProvider } from '../test/support/fake-provider';
import { BaselineClient } from './bench/baseline.client';
import { concurrent, interleaved, maxStreamingOverlap, PROMPT, underMemoryLoad } from './bench/bench.phases';
import { errorsOf, Figure, formatFigures, median, okValues, paired, passes } from './bench/bench.report';
import { BenchTarget } from './bench/bench.types';
import { buildServer, GatewayProcess } from './bench/gateway.process';
import { conversationRuns, fillIdleThreads, longHistoryRuns, memoryPerIdleThread } from './bench/conversation.phases';
import { catalogWithoutApplyPatch, toolRoundTrips } from './bench/tool.phases';
import { storePhase } from './bench/stored-turns.phase';

// Pool and queue settings default to the gateway's own defaults (1, 16, 64); flags override them.
const { values: args } = parseArgs({
  options: {
    pairs: { type: 'string', default: '40' },
    rounds: { type: 'string', default: '5' },
    pool: { type: 'string' },
    parallel: { type: 'string' },
    queue: { type: 'string' },
    conversations: { type: 'string', default: '12' },
    history: { type: 'string', default: '512' },
    'history-pairs': { type: 'string', default: '20' },
    'idle-threads': { type: 'string', default: '16' },
    'max-idle': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    // Only the response-store variant (file store against Redis).
    'store-only': { type: 'boolean', default: false },
    // With --store-only: both gateways on the file store, to see the noise floor of that comparison.
    'store-control': { type: 'boolean', default: false },
  },
});

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<number> {
  const pairs = Math.max(20, Number(args.pairs));
  const rounds = Math.max(1, Number(args.rounds));
  if (!args['no-build']) buildServer();
  const provider = new FakeProvider();
  await provider.start();
  const dirs = makeCodexHome(provider.baseUrl);
  const binary = resolveCodexBinary();
  const base: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'LANG', 'TMPDIR']) if (process.env[k]) base[k] = process.env[k] ?? '';
  // The bench sends a few hundred requests a minute; the default rate limit (60/min) would refuse them.
  const settings: Record<string, string> = { RATE_LIMIT_PER_MINUTE: '0' };
  if (args.pool) settings.CODEX_POOL_SIZE = args.pool;
  if (args.parallel) settings.CODEX_MAX_PARALLEL_REQUESTS = args.parallel;
  if (args.queue) settings.CODEX_MAX_QUEUE = args.queue;
  if (args['max-idle']) settings.CODEX_MAX_IDLE_THREADS = args['max-idle'];
  const dataDir = mkdtempSync(join(tmpdir(), 'codex-wrapper-bench-data-'));
  const gatewayEnv = {
    ...base,
    ...settings,
    CODEX_CONFIG_DIR: dirs.home,
    CODEX_WORKDIR: dirs.workdir,
    CODEX_DATA_DIR: dataDir,
    CODEX_ENV_FILE: '/nonexistent/.env',
  };
  const cleanUp = async (): Promise<void> => {
    await provider.stop();
    for (const d of [dirs.home, dirs.workdir, dataDir]) rmSync(d, { recursive: true, force: true });
  };
  if (args['store-only']) return storeOnly(gatewayEnv, dataDir, pairs).finally(cleanUp);
  // The same environment, flags and work directory the gateway gives its own app-server processes.
  const codexEnv = {
    ...gatewayEnv,
    CODEX_HOME: dirs.home,
    PATH: [binary.pathDir, base.PATH].filter(Boolean).join(delimiter),
  };
  const baseline = await BaselineClient.start({
    bin: binary.bin,
    args: APP_SERVER_ARGS,
    env: codexEnv,
    cwd: dirs.workdir,
    model: TEST_MODELS.full,
    effort: 'medium',
  });
  const gateway = await GatewayProcess.start(gatewayEnv, TEST_MODELS.full);
  const errors: string[] = [];
  try {
    console.log(
      `codex ${binary.version ?? '?'}, node ${process.version}, ${cpus().length} CPUs, load average ${load()}`,
    );
    console.log(`gateway settings: ${JSON.stringify(settings)} (others at their defaults)`);
    for (const t of [baseline, gateway] as BenchTarget[]) {
      for (let i = 0; i < 5; i++) errors.push(...errorsOf(`${t.name} warm-up`, [await t.run(PROMPT, i % 2 === 0)]));
      errors.push(...errorsOf(`${t.name} warm-up`, (await concurrent(t, 8)).results));
    }
    const plain = await interleaved(baseline, gateway, pairs, false);
    const streamed = await interleaved(baseline, gateway, pairs, true);
    const walls = { baseline: [] as number[], gateway: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      const order =
        r % 2 === 0
          ? ([
              [baseline, walls.baseline],
              [gateway, walls.gateway],
            ] as const)
          : ([
              [gateway, walls.gateway],
              [baseline, walls.baseline],
            ] as const);
      for (const [t, sink] of order) {
        const run = await concurrent(t, 32);
        errors.push(...errorsOf(`${t.name} 32 concurrent`, run.results));
        sink.push(run.wallMs);
      }
    }
    const convs = await conversationRuns(gateway, baseline, provider, Math.max(2, Number(args.conversations)));
    const idleCount = Math.max(1, Number(args['idle-threads']));
    const perIdleMb = await memoryPerIdleThread(baseline, idleCount);
    // The 64-stream memory run starts with the idle-thread cache full (CODEX_MAX_IDLE_THREADS, default 16).
    errors.push(...errorsOf(`${gateway.name} fill idle threads`, await fillIdleThreads(gateway, idleCount)));
    for (const [name, runs] of Object.entries(convs))
      if (Array.isArray(runs)) errors.push(...errorsOf(`conversations ${name}`, runs));
    const memBase = await underMemoryLoad(baseline, 64);
    const memGw = await underMemoryLoad(gateway, 64);
    // After the memory run: threads with hundreds of injected messages leave both allocators larger.
    const historyLength = Math.max(2, Number(args.history));
    const long = await longHistoryRuns(gateway, baseline, Math.max(2, Number(args['history-pairs'])), historyLength);
    for (const [name, p] of [
      ['non-stream', plain],
      ['stream', streamed],
    ] as const) {
      errors.push(
        ...errorsOf(`${baseline.name} ${name}`, p.baseline),
        ...errorsOf(`${gateway.name} ${name}`, p.gateway),
      );
    }
    errors.push(
      ...errorsOf(`${baseline.name} 64 slow`, memBase.results),
      ...errorsOf(`${gateway.name} 64 slow`, memGw.results),
    );
    errors.push(...errorsOf('long history baseline', long.baseline), ...errorsOf('long history gateway', long.gateway));
    const total = (r: { totalMs: number }): number => r.totalMs;
    const first = (r: { firstTokenMs: number | null }): number | null => r.firstTokenMs;
    const tools = await toolRoundTrips(
      {
        bin: binary.bin,
        args: APP_SERVER_ARGS,
        env: codexEnv,
        cwd: dirs.workdir,
        model: TEST_MODELS.full,
        catalog: catalogWithoutApplyPatch(dirs.home),
      },
      gateway.baseUrl,
      gateway.rootPid,
      pairs,
    );
    errors.push(...tools.errors);
    const figures: Figure[] = [
      {
        label: `non-stream latency (median of ${pairs})`,
        baseline: median(okValues(plain.baseline, total)),
        gateway: median(okValues(plain.gateway, total)),
        paired: paired(plain.baseline, plain.gateway, total),
        unit: 'ms',
        target: { kind: 'ratio', max: 1.1 },
      },
      {
        label: `time to first token (median of ${pairs})`,
        baseline: median(okValues(streamed.baseline, first)),
        gateway: median(okValues(streamed.gateway, first)),
        paired: paired(streamed.baseline, streamed.gateway, first),
        unit: 'ms',
        target: { kind: 'ratio', max: 1.1 },
      },
      {
        label: `32 concurrent streams, wall (median of ${rounds})`,
        baseline: median(walls.baseline),
        gateway: median(walls.gateway),
        unit: 'ms',
        target: { kind: 'ratio', max: 1.0 },
      },
      {
        label: 'Responses first turn vs chat turn',
        baseline: median(okValues(convs.chatOne, total)),
        gateway: median(okValues(convs.gwFirst, total)),
        unit: 'ms',
        target: { kind: 'ratio', max: 1.15 },
      },
      {
        label: 'Responses continuation vs chat turn',
        baseline: median(okValues(convs.chatOne, total)),
        gateway: median(okValues(convs.gwNext, total)),
        unit: 'ms',
        target: { kind: 'ratio', max: 1.15 },
      },
      {
        label: 'Responses first turn vs bare (new ephemeral thread)',
        baseline: median(okValues(convs.bareFirst, total)),
        gateway: median(okValues(convs.gwFirst, total)),
        paired: paired(convs.bareFirst, convs.gwFirst, total),
        unit: 'ms',
        target: { kind: 'ratio', max: 1.1 },
      },
      {
        label: 'Responses continuation vs bare (loaded thread)',
        baseline: median(okValues(convs.bareNext, total)),
        gateway: median(okValues(convs.gwNext, total)),
        paired: paired(convs.bareNext, convs.gwNext, total),
        unit: 'ms',
        target: { kind: 'ratio', max: 1.1 },
      },
      {
        label: 'chat turn 5 by affinity vs chat turn',
        baseline: median(okValues(convs.chatOne, total)),
        gateway: median(okValues(convs.chatFifth, total)),
        unit: 'ms',
        target: { kind: 'ratio', max: 1.05 },
      },
      {
        label: `${historyLength}-message history vs bare injecting it`,
        baseline: median(okValues(long.baseline, total)),
        gateway: median(okValues(long.gateway, total)),
        paired: paired(long.baseline, long.gateway, total),
        unit: 'ms',
        target: { kind: 'ratio', max: 1.05 },
      },
      {
        label: 'peak RSS at 64 slow streams',
        baseline: memBase.peak.totalMb,
        gateway: memGw.peak.totalMb,
        unit: 'MB',
        target: { kind: 'absolute', max: 350 },
      },
      ...tools.figures,
    ];
    console.log(`\n${formatFigures(figures)}\n`);
    // Last, on fresh gateways, so that it neither disturbs nor is disturbed by the figures above.
    const store = await storePhase(gatewayEnv, dataDir, TEST_MODELS.full, pairs);
    errors.push(...store.errors);
    figures.push(...store.figures);
    console.log(
      `response store (baseline = file store, gateway = Redis; load average ${load()}):\n${formatFigures(store.figures)}\n${store.ops}\n`,
    );
    console.log(
      `32 concurrent walls (ms): baseline ${walls.baseline.map(Math.round).join(', ')}; gateway ${walls.gateway.map(Math.round).join(', ')}`,
    );
    console.log(
      `64 slow streams: wall ${Math.round(memBase.wallMs)} / ${Math.round(memGw.wallMs)} ms; streaming at once: baseline ${maxStreamingOverlap(memBase.results)}, gateway ${maxStreamingOverlap(memGw.results)} of 64`,
    );
    console.log(
      `peak RSS: baseline = app-server alone; gateway = Node ${memGw.peak.rootMb.toFixed(1)} MB + Codex ${(memGw.peak.totalMb - memGw.peak.rootMb).toFixed(1)} MB over ${memGw.peak.processes} processes (${memGw.peak.samples} samples, ${memGw.peak.forkShadowsSkipped} forked children skipped)`,
    );
    const samples = (r: unknown[]): number => r.length;
    console.log(
      `conversations: ${samples(convs.gwFirst)} × 5 turns of each kind; prompt_cache_key values per 5-turn conversation: chat ${convs.keys.chat}, responses ${convs.keys.responses} (target 1: ${convs.keys.chat === 1 && convs.keys.responses === 1 ? 'PASS' : 'MISS'})`,
    );
    console.log(
      `bare client medians: ephemeral turn ${median(okValues(plain.baseline, total)).toFixed(1)} ms, conversation first turn ${median(okValues(convs.bareFirst, total)).toFixed(1)} ms, turn on its loaded thread ${median(okValues(convs.bareNext, total)).toFixed(1)} ms; gateway medians: Responses first turn ${median(okValues(convs.gwFirst, total)).toFixed(2)} ms, continuation ${median(okValues(convs.gwNext, total)).toFixed(2)} ms, chat turn ${median(okValues(convs.chatOne, total)).toFixed(2)} ms`,
    );
    console.log(
      `memory per idle thread (app-server, ${idleCount} threads kept loaded by the bare client): ${perIdleMb.toFixed(2)} MB`,
    );
    console.log(`load average at the end: ${load()}`);
    console.log(
      `errors: ${errors.length}${errors.length > 0 ? `\n  ${[...new Set(errors)].slice(0, 20).join('\n  ')}` : ''}`,
    );
    console.log(
      `targets met: ${figures.filter(passes).length}/${figures.length}; no errors: ${errors.length === 0 ? 'PASS' : 'MISS'}`,
    );
  } finally {
    await Promise.all([baseline.stop(), gateway.stop()]);
    await cleanUp();
  }
  return errors.length === 0 ? 0 : 1;
}

async function storeOnly(env: Record<string, string>, dataDir: string, pairs: number): Promise<number> {
  console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${load()}`);
  const { figures, errors, ops } = await storePhase(env, dataDir, TEST_MODELS.full, pairs, args['store-control']);
  console.log(
    `\nresponse store (baseline = file store, gateway = ${args['store-control'] ? 'file store too (control)' : 'Redis'}):\n${formatFigures(figures)}\n${ops}\n`,
  );
  console.log(`load average at the end: ${load()}`);
  console.log(
    `errors: ${errors.length}${errors.length > 0 ? `\n  ${[...new Set(errors)].slice(0, 20).join('\n  ')}` : ''}`,
  );
  return errors.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
