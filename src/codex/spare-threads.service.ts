import { Inject, Injectable } from '@nestjs/common';
import { codexConfig, CodexConfig } from '../config/codex.config';
import { AppServerConnection } from './app-server.connection';
import type { ParamsOf } from './protocol/app-server.protocol';

interface Spare {
  threadId: string;
  createdAt: number;
}

interface Warm {
  ready: Spare[];
  starting: boolean;
  /** The thread/start parameters every spare of this entry is started with. */
  params: ParamsOf<'thread/start'>;
  max: number;
}

/**
 * What a spare is started with besides its model: a client tool set (dynamic tools and the
 * built-ins-off config), identified by `key`. Absent for plain threads.
 */
export interface SpareVariant {
  key: string;
  params: Pick<ParamsOf<'thread/start'>, 'config' | 'dynamicTools' | 'experimentalRawEvents'>;
}

/** A spare older than this is replaced: its environment context (date, for one) was fixed at start. */
const MAX_AGE_MS = 10 * 60_000;
/** Models kept warm per process (each with and without raw items); the least recently used one gives way. */
const MAX_MODELS = 2;
const plainKey = (model: string, raw: boolean): string => (raw ? model : `${model}\u0000no-raw`);
/** What eviction counts: a model's plain spares of both kinds go together; each tool set on its own. */
const modelOf = (key: string): string => key.split('\u0000')[0] ?? key;
/** Client tool sets kept warm per process, and spares per set: agent loops repeat one tool set. */
const MAX_TOOL_SETS = 4;
const SPARES_PER_TOOL_SET = 2;

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
  private readonly warm = new WeakMap<AppServerConnection, { plain: Map<string, Warm>; tools: Map<string, Warm> }>();

  constructor(@Inject(codexConfig.KEY) private readonly config: CodexConfig) {}

  /**
   * A warm thread for `model` (and `variant`, a client tool set), or null; either way the spares
   * are topped up in the background.
   */
  take(conn: AppServerConnection, model: string, sandbox: string, variant?: SpareVariant, raw = true): string | null {
    if (this.config.spareThreads === 0 || sandbox !== this.config.sandboxMode || !conn.alive) return null;
    const maps = this.of(conn);
    const byKey = variant ? maps.tools : maps.plain;
    const key = variant ? `${model}\u0000${variant.key}` : plainKey(model, raw);
    const params = { ...this.ephemeralThreadParams(model, raw), ...variant?.params };
    const max = variant ? Math.min(this.config.spareThreads, SPARES_PER_TOOL_SET) : this.config.spareThreads;
    const warm = byKey.get(key) ?? { ready: [], starting: false, params, max };
    byKey.delete(key);
    byKey.set(key, warm);
    if (variant) this.evict(conn, byKey, MAX_TOOL_SETS, (k) => k);
    else this.evict(conn, byKey, MAX_MODELS, modelOf);
    let spare = warm.ready.shift();
    while (spare && Date.now() - spare.createdAt > MAX_AGE_MS) {
      void conn.unloadThread(spare.threadId, false);
      spare = warm.ready.shift();
    }
    this.topUp(conn, byKey, key, warm);
    return spare?.threadId ?? null;
  }

  /** The warm threads waiting for `model` (and a tool set's key) on `conn` (diagnostics and tests). */
  peek(conn: AppServerConnection, model: string, variantKey?: string, raw = true): string[] {
    const maps = this.of(conn);
    const warm =
      variantKey === undefined ? maps.plain.get(plainKey(model, raw)) : maps.tools.get(`${model}\u0000${variantKey}`);
    return (warm?.ready ?? []).map((s) => s.threadId);
  }

  /** The thread parameters shared by spares and a request's own ephemeral thread. */
  ephemeralThreadParams(
    model: string,
    raw: boolean,
  ): {
    model: string;
    cwd: string;
    sandbox: CodexConfig['sandboxMode'];
    approvalPolicy: 'never';
    ephemeral: true;
    experimentalRawEvents: boolean;
  } {
    // Raw events carry what the wire needs and typed items lack: exact argument strings, encrypted reasoning,
    // per-response usage (TurnSpec.rawItems says who needs them).
    return {
      model,
      cwd: this.config.workdir,
      sandbox: this.config.sandboxMode,
      approvalPolicy: 'never',
      ephemeral: true,
      experimentalRawEvents: raw,
    };
  }

  private of(conn: AppServerConnection): { plain: Map<string, Warm>; tools: Map<string, Warm> } {
    let maps = this.warm.get(conn);
    if (!maps) this.warm.set(conn, (maps = { plain: new Map(), tools: new Map() }));
    return maps;
  }

  /** Drops the least recently used groups of spares (the map's order) beyond `max` groups. */
  private evict(
    conn: AppServerConnection,
    byKey: Map<string, Warm>,
    max: number,
    group: (key: string) => string,
  ): void {
    // Newest first: a group is as recent as its most recently used key.
    const groups = [...new Set([...byKey.keys()].reverse().map(group))];
    const gone = new Set(groups.slice(max));
    for (const [key, warm] of byKey) {
      if (!gone.has(group(key))) continue;
      byKey.delete(key);
      for (const spare of warm.ready.splice(0)) void conn.unloadThread(spare.threadId, false);
    }
  }

  private topUp(conn: AppServerConnection, byKey: Map<string, Warm>, key: string, warm: Warm): void {
    if (warm.starting || warm.ready.length >= warm.max || !conn.alive) return;
    warm.starting = true;
    conn.request('thread/start', warm.params).then(
      ({ thread }) => {
        warm.starting = false;
        if (byKey.get(key) !== warm) return void conn.unloadThread(thread.id, false);
        warm.ready.push({ threadId: thread.id, createdAt: Date.now() });
        this.topUp(conn, byKey, key, warm);
      },
      () => {
        warm.starting = false;
      },
    );
  }
}
