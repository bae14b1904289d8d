import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { CodexError, CodexErrorCode } from '../codex/codex.errors';
import { CodexTurnRegistry } from '../codex/codex-turn-registry.service';
import { opsConfig, OpsConfig } from '../config/ops.config';

/**
 * The first step of `app.close()` (SIGTERM/SIGINT in main.ts): stop accepting, let turns in
 * flight finish for SHUTDOWN_GRACE_SECONDS, then abort the rest so every stream ends with an
 * error frame. Runs in onModuleDestroy, which Nest completes for every module before any
 * beforeApplicationShutdown, so the Codex pool is still up while turns drain.
 */
@Injectable()
export class GracefulShutdownService implements OnModuleDestroy {
  private readonly logger = new Logger(GracefulShutdownService.name);
  draining = false;

  constructor(
    @Inject(opsConfig.KEY) private readonly ops: OpsConfig,
    private readonly turns: CodexTurnRegistry,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  async onModuleDestroy(): Promise<void> {
    this.draining = true;
    const refusal = new CodexError(CodexErrorCode.ShuttingDown, 'server shutting down', { retryAfterSeconds: 1 });
    this.turns.refuseNew(refusal);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- typed as set, but unset in an application context without HTTP
    const server: unknown = this.adapterHost.httpAdapter?.getHttpServer();
    // Closing the listener refuses new connections; open ones are answered 503 by the shutdown gate.
    if (isListening(server)) server.close();
    const inFlight = this.turns.activeCount;
    if (inFlight === 0) return;
    this.logger.log(
      `shutting down: waiting up to ${this.ops.shutdownGraceMs / 1000} s for ${inFlight} turn(s) in flight`,
    );
    if (await this.turns.whenIdle(this.ops.shutdownGraceMs)) return;
    this.logger.warn(`shutting down: grace period over, aborting ${this.turns.activeCount} turn(s)`);
    this.turns.abortAll(refusal);
  }
}

function isListening(server: unknown): server is Server {
  return typeof server === 'object' && server !== null && 'listening' in server && server.listening === true;
}
