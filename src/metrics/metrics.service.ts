import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CodexEngineService } from '../codex/codex-engine.service';
import { CodexPoolService } from '../codex/codex-pool.service';
import { RedisHealth } from '../redis/redis-health.service';

const PREFIX = 'codex_wrapper_';
// Codex turns run from tens of milliseconds to minutes.
const SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * Every instrument the gateway exports, in a registry of its own per app (tests run several apps
 * in one process). Gauges of engine state are read at scrape time, never kept in step by hand.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly requests: Counter<'route' | 'method' | 'status' | 'model'>;
  readonly requestSeconds: Histogram<'route' | 'method' | 'status'>;
  readonly rejected: Counter<'reason'>;
  readonly ttftSeconds: Histogram<'model'>;
  readonly tokens: Counter<'model' | 'type'>;
  readonly turns: Counter<'model' | 'outcome'>;
  readonly queueWaitSeconds: Histogram;
  readonly keyTokens: Counter<'key' | 'model' | 'type'>;
  readonly keyRequests: Counter<'key' | 'model'>;

  constructor(engine: CodexEngineService, pool: CodexPoolService, redis: RedisHealth) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: `${PREFIX}http_requests_total`,
      help: 'HTTP requests by route, method, status and model.',
      labelNames: ['route', 'method', 'status', 'model'],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: `${PREFIX}http_request_duration_seconds`,
      help: 'HTTP request latency, to the last byte.',
      labelNames: ['route', 'method', 'status'],
      buckets: SECONDS,
      registers,
    });
    this.rejected = new Counter({
      name: `${PREFIX}rejected_requests_total`,
      help: 'Requests refused (4xx, 503) by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.ttftSeconds = new Histogram({
      name: `${PREFIX}time_to_first_token_seconds`,
      help: 'From turn request (queue included) to the first text or reasoning delta.',
      labelNames: ['model'],
      buckets: SECONDS,
      registers,
    });
    this.tokens = new Counter({
      name: `${PREFIX}tokens_total`,
      help: 'Tokens used by completed turns, by type: input, cached (part of input), output, reasoning (part of output).',
      labelNames: ['model', 'type'],
      registers,
    });
    this.turns = new Counter({
      name: `${PREFIX}turns_total`,
      help: 'Codex turns by outcome: completed, failed, cancelled (client gone), aborted (shutdown).',
      labelNames: ['model', 'outcome'],
      registers,
    });
    this.queueWaitSeconds = new Histogram({
      name: `${PREFIX}queue_wait_seconds`,
      help: 'Time a turn waited for a free Codex slot (granted or timed out).',
      buckets: [0, ...SECONDS],
      registers,
    });
    this.keyTokens = new Counter({
      name: `${PREFIX}key_tokens_total`,
      help: 'Tokens of completed turns per API key name (- when open), model and type (as tokens_total).',
      labelNames: ['key', 'model', 'type'],
      registers,
    });
    this.keyRequests = new Counter({
      name: `${PREFIX}key_requests_total`,
      help: 'Codex turns per API key name and model.',
      labelNames: ['key', 'model'],
      registers,
    });
    if (redis.configured)
      new Gauge({
        name: `${PREFIX}redis_up`,
        help: 'Whether the shared store (REDIS_URL) answers: 1 or 0.',
        registers,
        collect() {
          this.set(redis.available ? 1 : 0);
        },
      });
    new Counter({
      name: `${PREFIX}rate_limit_fail_open_total`,
      help: 'Rate-limit and quota checks let through because Redis did not answer.',
      registers,
      collect() {
        this.reset();
        this.inc(redis.failOpen);
      },
    });
    new Counter({
      name: `${PREFIX}usage_records_lost_total`,
      help: 'Turns whose usage could not be recorded (Redis did not answer).',
      registers,
      collect() {
        this.reset();
        this.inc(redis.usageLost);
      },
    });
    new Gauge({
      name: `${PREFIX}queue_depth`,
      help: 'Turns waiting for a free Codex slot.',
      registers,
      collect() {
        this.set(engine.limiter.queued);
      },
    });
    new Gauge({
      name: `${PREFIX}active_turns`,
      help: 'Turns holding a Codex slot.',
      registers,
      collect() {
        this.set(engine.limiter.active);
      },
    });
    new Gauge({
      name: `${PREFIX}engine_processes`,
      help: 'Codex app-server processes by state.',
      labelNames: ['state'],
      registers,
      collect() {
        this.set({ state: 'live' }, pool.liveCount);
        this.set({ state: 'configured' }, pool.size);
      },
    });
    new Counter({
      name: `${PREFIX}engine_unresponsive_total`,
      help: 'Codex app-server processes killed by the watchdog because they stopped answering.',
      registers,
      collect() {
        this.reset();
        this.inc(pool.unresponsiveKills);
      },
    });
    const idle = engine.idle;
    new Gauge({
      name: `${PREFIX}idle_threads`,
      help: 'Conversation threads kept loaded for their next turn (CODEX_MAX_IDLE_THREADS).',
      registers,
      collect() {
        this.set(idle.size);
      },
    });
    new Counter({
      name: `${PREFIX}idle_thread_reuses_total`,
      help: 'Turns that continued an idle thread: chat (affinity) or stored (Responses).',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        this.inc({ kind: 'chat' }, idle.reused.conversations);
        this.inc({ kind: 'stored' }, idle.reused.stored);
      },
    });
    new Counter({
      name: `${PREFIX}idle_threads_released_total`,
      help: 'Idle threads released: expired (TTL), evicted (cap), pressure (turns queueing).',
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(idle.released)) this.inc({ reason }, n);
      },
    });
    new Counter({
      name: `${PREFIX}engine_restarts_total`,
      help: 'Codex app-server processes restarted after dying.',
      registers,
      collect() {
        this.reset();
        this.inc(pool.restarts);
      },
    });
  }
}
