import { Injectable } from '@nestjs/common';
import { CodexPoolService } from '../codex/codex-pool.service';
import { GracefulShutdownService } from '../lifecycle/graceful-shutdown.service';
import { ModelsService } from '../catalog/models.service';
import { RedisHealth } from '../redis/redis-health.service';
import { CodexAuthService, CodexAuthState } from './codex-auth.service';

export interface Readiness {
  ready: boolean;
  /** Why not ready, one line each; empty when ready. Generic on purpose: details are in the log. */
  reasons: string[];
  /** `hung`: processes that stopped answering and are being replaced; `watchdogKills`: all such so far. */
  engine: { live: number; size: number; restarts: number; hung: number; watchdogKills: number };
  codex: { version: string | null; auth: CodexAuthState; account: string | null };
  models: { loaded: boolean };
  draining: boolean;
  /** The shared store (REDIS_URL); `up` is null when none is configured. */
  redis: { configured: boolean; up: boolean | null };
}

/** Readiness from state the services already keep; computing it never calls Codex. */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly pool: CodexPoolService,
    private readonly auth: CodexAuthService,
    private readonly models: ModelsService,
    private readonly shutdown: GracefulShutdownService,
    private readonly redis: RedisHealth,
  ) {}

  check(): Readiness {
    const reasons: string[] = [];
    const live = this.pool.liveCount;
    if (this.shutdown.draining) reasons.push('shutting_down: the server is draining');
    if (live === 0) reasons.push('engine_down: no Codex app-server process is running (see the log)');
    if (this.pool.hungCount > 0)
      reasons.push('engine_unresponsive: a Codex app-server stopped answering and is being replaced');
    if (this.auth.state === 'signed_out')
      reasons.push(
        'codex_signed_out: Codex is not signed in; run `codex login --device-auth` (docker compose run --rm login)',
      );
    if (this.auth.state === 'unknown') reasons.push('codex_auth_unknown: the Codex sign-in state is not known yet');
    if (!this.models.isLoaded) reasons.push('models_not_loaded: the model catalog has not loaded yet');
    // Stored responses would answer 503 here: let the load balancer prefer a replica that can store.
    if (this.redis.configured && !this.redis.available)
      reasons.push('redis_down: the shared store (REDIS_URL) does not answer; the client reconnects by itself');
    return {
      ready: reasons.length === 0,
      reasons,
      engine: {
        live,
        size: this.pool.size,
        restarts: this.pool.restarts,
        hung: this.pool.hungCount,
        watchdogKills: this.pool.unresponsiveKills,
      },
      codex: { version: this.pool.version, auth: this.auth.state, account: this.auth.account },
      models: { loaded: this.models.isLoaded },
      draining: this.shutdown.draining,
      redis: { configured: this.redis.configured, up: this.redis.configured ? this.redis.available : null },
    };
  }
}
