import { Inject, Injectable } from '@nestjs/common';
import { codexConfig, CodexConfig } from '../config/codex.config';
import { AppServerConnection } from './app-server.connection';

interface Spare {
  threadId: string;
  createdAt: number;
}

/** A spare older than this is replaced: its environment context (date, for one) was fixed at start. */
const MAX_AGE_MS = 10 * 60_000;
/** Models kept warm per process; the least recently used one gives way. */
const MAX_MODELS = 2;

/**
 * Keeps one started, idle, ephemeral thread per app-server and recently used model, so a
 * stateless request skips `thread/start` (about a third of a bare turn) on its way to the model.
 * Spares are started exactly as a request's own thread would be: same model, work directory,
 * default sandbox and approval policy, and no developer instructions (ephemeral turns receive
 * theirs as an injected developer message either way), so taking one changes nothing the model sees.
 */
@Injectable()
export class SpareThreadsService {
  private readonly spares = new WeakMap<AppServerConnection, Map<string, Spare | 'starting'>>();

  constructor(@Inject(codexConfig.KEY) private readonly config: CodexConfig) {}

  /** A warm thread for `model`, or null; either way a fresh spare is started in the background. */
  take(conn: AppServerConnection, model: string, sandbox: string): string | null {
    if (sandbox !== this.config.sandboxMode || !conn.alive) return null;
    const byModel = this.of(conn);
    const spare = byModel.get(model);
    byModel.delete(model);
    let threadId: string | null = null;
    if (spare && spare !== 'starting') {
      if (Date.now() - spare.createdAt < MAX_AGE_MS) threadId = spare.threadId;
      else void conn.unloadThread(spare.threadId, false);
    }
    if (spare !== 'starting') this.refill(conn, model);
    else byModel.set(model, spare);
    return threadId;
  }

  /** The warm thread waiting for `model` on `conn`, if any (diagnostics and tests). */
  peek(conn: AppServerConnection, model: string): string | null {
    const spare = this.of(conn).get(model);
    return spare && spare !== 'starting' ? spare.threadId : null;
  }

  /** The thread parameters shared by spares and a request's own ephemeral thread. */
  ephemeralThreadParams(model: string): { model: string; cwd: string; sandbox: CodexConfig['sandboxMode']; approvalPolicy: 'never'; ephemeral: true } {
    return { model, cwd: this.config.workdir, sandbox: this.config.sandboxMode, approvalPolicy: 'never', ephemeral: true };
  }

  private of(conn: AppServerConnection): Map<string, Spare | 'starting'> {
    let byModel = this.spares.get(conn);
    if (!byModel) this.spares.set(conn, (byModel = new Map()));
    return byModel;
  }

  private refill(conn: AppServerConnection, model: string): void {
    const byModel = this.of(conn);
    byModel.set(model, 'starting');
    while (byModel.size > MAX_MODELS) {
      const [oldest, spare] = byModel.entries().next().value as [string, Spare | 'starting'];
      byModel.delete(oldest);
      if (spare !== 'starting') void conn.unloadThread(spare.threadId, false);
    }
    conn.request('thread/start', this.ephemeralThreadParams(model)).then(
      ({ thread }) => {
        if (byModel.get(model) === 'starting') byModel.set(model, { threadId: thread.id, createdAt: Date.now() });
        else void conn.unloadThread(thread.id, false);
      },
      () => {
        if (byModel.get(model) === 'starting') byModel.delete(model);
      },
    );
  }
}
