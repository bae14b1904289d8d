import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { codexConfig, CodexConfig } from '../config/codex.config';
import { AppServerConnection } from './app-server.connection';
import { CodexBinary, resolveCodexBinary } from './codex-binary';
import { APP_SERVER_ARGS, appServerEnv, prepareCodexDirs } from './codex-launch';
import { CodexProcessRunner } from './codex-process.runner';
import { CodexError, CodexErrorCode } from './codex.errors';
import { watchConnection } from './codex-watchdog';
import { UNREAD_NOTIFICATIONS } from './unread-notifications';

const INIT_TIMEOUT_MS = 30_000;
const MAX_BACKOFF_MS = 10_000;
const STOP_GRACE_MS = 2_000;

/**
 * A fixed-size pool of long-lived `codex app-server` processes. Each slot is restarted with
 * exponential backoff when its process dies; requests on the dead process fail at once.
 */
@Injectable()
export class CodexPoolService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CodexPoolService.name);
  private readonly slots: (AppServerConnection | null)[];
  private readonly failures: number[];
  private binary: CodexBinary | null = null;
  private stopping = false;
  private readyResolve: (() => void) | null = null;
  readonly ready: Promise<void>;
  private restartCount = 0;
  private watchdogKills = 0;
  private readonly replacing = new Set<number>();
  private lastFailure: string | null = null;
  private codexVersion: string | null = null;

  constructor(
    @Inject(codexConfig.KEY) private readonly config: CodexConfig,
    private readonly runner: CodexProcessRunner,
  ) {
    this.slots = new Array<AppServerConnection | null>(config.poolSize).fill(null);
    this.failures = new Array<number>(config.poolSize).fill(0);
    this.ready = new Promise((resolve) => (this.readyResolve = resolve));
  }

  onApplicationBootstrap(): void {
    prepareCodexDirs(this.config, this.logger);
    try {
      this.binary = resolveCodexBinary(this.config.binPath ?? undefined);
      this.codexVersion = this.binary.version;
    } catch (err) {
      this.lastFailure = err instanceof Error ? err.message : String(err);
      this.logger.error(this.lastFailure);
      return;
    }
    for (let i = 0; i < this.slots.length; i++) void this.start(i);
  }

  /** The live process with the fewest running turns. */
  acquire(): AppServerConnection {
    let best: AppServerConnection | null = null;
    for (const c of this.slots) if (c?.alive && (!best || c.activeTurns < best.activeTurns)) best = c;
    if (!best)
      throw new CodexError(CodexErrorCode.EngineUnavailable, this.lastFailure ?? 'engine starting', {
        retryAfterSeconds: 1,
      });
    return best;
  }

  /** Processes that exited and were started again. */
  get restarts(): number {
    return this.restartCount;
  }
  /** Processes killed by the watchdog because they stopped answering. */
  get unresponsiveKills(): number {
    return this.watchdogKills;
  }
  /** Slots whose hung process is being replaced (readiness reports them). */
  get hungCount(): number {
    return this.replacing.size;
  }
  get lastError(): string | null {
    return this.lastFailure;
  }
  /** The Codex CLI version, once known. */
  get version(): string | null {
    return this.codexVersion;
  }

  get liveCount(): number {
    return this.slots.filter((c) => c?.alive).length;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Pids of the live app-server processes (for benchmarks and leak checks). */
  get pids(): number[] {
    return this.slots.flatMap((c) => (c?.alive && c.child.pid !== undefined ? [c.child.pid] : []));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.slots.map((c) => (c ? this.stop(c) : Promise.resolve())));
  }

  /** Last resort when the process must exit at once (second signal): kills every Codex process group now. */
  killNow(): void {
    this.stopping = true;
    for (const c of this.slots) if (c) this.runner.killGroup(c.child, 'SIGKILL');
  }

  private async start(index: number): Promise<void> {
    if (this.stopping || !this.binary) return;
    const { bin, pathDir } = this.binary;
    const child = this.runner.spawn({
      bin,
      args: APP_SERVER_ARGS,
      env: appServerEnv(this.config, pathDir),
      cwd: this.config.workdir,
    });
    const conn = new AppServerConnection(child, `#${index}`, this.logger, { rpcTimeoutMs: this.config.rpcTimeoutMs });
    this.slots[index] = conn;
    conn.onExit((err) => this.onExit(index, conn, err));
    const startedAt = Date.now();
    try {
      const clientInfo = { name: 'codex_wrapper', title: 'Codex-Wrapper', version: '0.1.0' };
      // Experimental: dynamic tools, item/tool/call and raw response events (client-tools.md §1).
      const capabilities = {
        experimentalApi: true,
        requestAttestation: false,
        optOutNotificationMethods: [...UNREAD_NOTIFICATIONS],
      };
      const init = await conn.request('initialize', { clientInfo, capabilities }, INIT_TIMEOUT_MS);
      conn.notify('initialized');
      this.replacing.delete(index);
      conn.onExit(watchConnection(conn, this.config, () => this.onHung(index, conn)));
      // With CODEX_PATH there is no package layout file; the user agent names the version.
      this.codexVersion ??= /^[^/\s]+\/(\S+)/.exec(init.userAgent)?.[1] ?? null;
      this.lastFailure = null;
      this.logger.log(`app-server ${conn.name} ready in ${Date.now() - startedAt} ms (${init.userAgent})`);
      this.readyResolve?.();
      setTimeout(() => {
        if (conn.alive) this.failures[index] = 0;
      }, 30_000).unref();
    } catch (err) {
      this.lastFailure = err instanceof Error ? err.message : String(err);
      this.logger.error(`app-server ${conn.name} failed to initialize: ${this.lastFailure}`);
      this.runner.killGroup(child, 'SIGKILL');
    }
  }

  /** Its turns fail now with a clear error; the exit path then kills the group and restarts the slot. */
  private onHung(index: number, conn: AppServerConnection): void {
    this.watchdogKills++;
    this.replacing.add(index);
    const seconds = Math.ceil(this.config.watchdogTimeoutMs / 1000);
    conn.abandon(
      new CodexError(
        CodexErrorCode.EngineUnresponsive,
        `codex app-server ${conn.name} did not answer the liveness probe within ${seconds} s (CODEX_WATCHDOG_TIMEOUT); killed`,
      ),
    );
  }

  private onExit(index: number, conn: AppServerConnection, err: CodexError): void {
    this.runner.killGroup(conn.child, 'SIGKILL');
    if (this.stopping || this.slots[index] !== conn) return;
    this.lastFailure = err.message;
    const failures = (this.failures[index] ?? 0) + 1;
    this.failures[index] = failures;
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** (failures - 1));
    const tail = conn.recentStderr;
    this.logger.error(`${err.message}; restarting in ${delay} ms${tail ? `\n${tail}` : ''}`);
    this.restartCount++;
    setTimeout(() => void this.start(index), delay).unref();
  }

  private async stop(conn: AppServerConnection): Promise<void> {
    // Closing stdin makes app-server exit by itself (~50 ms); the group kill catches stragglers.
    conn.child.stdin.end();
    const timer = setTimeout(() => this.runner.killGroup(conn.child, 'SIGTERM'), STOP_GRACE_MS);
    await conn.exited;
    clearTimeout(timer);
    this.runner.killGroup(conn.child, 'SIGKILL');
  }
}
