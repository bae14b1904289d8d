import { Inject, Injectable } from '@nestjs/common';
import { codexConfig, CodexConfig } from '../config/codex.config';
import { AppServerConnection } from './app-server.connection';

interface Spare {
  threadId: string;
  createdAt: number;
}

interface Warm {
  ready: Spare[];
  starting: boolean;
}

/** A spare older than this is replaced: its environment context (date, for one) was fixed at start. */
const MAX_AGE_MS = 10 * 60_000;
/** Models kept warm per process; the least recently used one gives way. */
const MAX_MODELS = 2;

/**
 * Keeps up to CODEX_SPARE_THREADS started, idle, ephemeral threads per app-server and recently
 * used model, so a stateless request skips `thread/start` (about a third of a bare turn) on its way
 * to the model. Spares are started exactly as a request's own thread would be: same model, work
 * directory, default sandbox and approval policy, no developer instructions (ephemeral turns get
 * theirs as an injected developer message either way), so taking one changes nothing the model
 * sees. They are started one at a time per process, to stay out of the way of running turns, and
 * cost about 1 MB each.
 */
@Injectable()
export class SpareThreadsService {
  private readonly warm = new WeakMap<AppServerConnection, Map<string, Warm>>();

  constructor(@Inject(codexConfig.KEY) private readonly config: CodexConfig) {}

  /** A warm thread for `model`, or null; either way the spares are topped up in the background. */
  take(conn: AppServerConnection, model: string, sandbox: string): string | null {
    if (this.config.spareThreads === 0 || sandbox !== this.config.sandboxMode || !conn.alive) return null;
    const byModel = this.of(conn);
    const warm = byModel.get(model) ?? { ready: [], starting: false };
    byModel.delete(model);
    byModel.set(model, warm);
    this.evict(conn, byModel);
    let spare = warm.ready.shift();
    while (spare && Date.now() - spare.createdAt > MAX_AGE_MS) {
      void conn.unloadThread(spare.threadId, false);
      spare = warm.ready.shift();
    }
    this.topUp(conn, model, warm);
    return spare?.threadId ?? null;
  }

  /** The warm threads waiting for `model` on `conn` (diagnostics and tests). */
  peek(conn: AppServerConnection, model: string): string[] {
    return (this.of(conn).get(model)?.ready ?? []).map((s) => s.threadId);
  }

  /** The thread parameters shared by spares and a request's own ephemeral thread. */
  ephemeralThreadParams(model: string): {
    model: string;
    cwd: string;
    sandbox: CodexConfig['sandboxMode'];
    approvalPolicy: 'never';
    ephemeral: true;
    experimentalRawEvents: true;
  } {
    // Raw events carry what the wire needs and typed items lack: exact argument strings, encrypted reasoning, per-response usage.
    return { model, cwd: this.config.workdir, sandbox: this.config.sandboxMode, approvalPolicy: 'never', ephemeral: true, experimentalRawEvents: true };
  }

  private of(conn: AppServerConnection): Map<string, Warm> {
    let byModel = this.warm.get(conn);
    if (!byModel) this.warm.set(conn, (byModel = new Map()));
    return byModel;
  }

  private evict(conn: AppServerConnection, byModel: Map<string, Warm>): void {
    for (const [model, warm] of byModel) {
      if (byModel.size <= MAX_MODELS) return;
      byModel.delete(model);
      for (const spare of warm.ready.splice(0)) void conn.unloadThread(spare.threadId, false);
    }
  }

  private topUp(conn: AppServerConnection, model: string, warm: Warm): void {
    if (warm.starting || warm.ready.length >= this.config.spareThreads || !conn.alive) return;
    warm.starting = true;
    conn.request('thread/start', this.ephemeralThreadParams(model)).then(
      ({ thread }) => {
        warm.starting = false;
        if (this.of(conn).get(model) !== warm) return void conn.unloadThread(thread.id, false);
        warm.ready.push({ threadId: thread.id, createdAt: Date.now() });
        this.topUp(conn, model, warm);
      },
      () => {
        warm.starting = false;
      },
    );
  }
}
