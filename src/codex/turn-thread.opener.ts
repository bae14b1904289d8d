import type { AppServerConnection } from './app-server.connection';
import type { ParamsOf } from './protocol/app-server.protocol';
import type { SpareThreadsService, SpareVariant } from './spare-threads.service';
import type { TurnSpec } from './turn-spec.types';
import type { ToolCatalogService } from './tools/tool-catalog.service';
import { clientToolsThreadConfig } from './tools/tool-thread.config';

export interface ThreadOpenerDeps {
  spares: SpareThreadsService;
  catalog: ToolCatalogService;
}

export interface OpenedThread {
  threadId: string;
  /** A pre-started spare (SpareThreadsService). */
  onSpare: boolean;
  /** thread/start parameters for a replacement of this thread (a spare Codex no longer knows). */
  freshParams: ParamsOf<'thread/start'>;
}

/**
 * Opens the thread a turn runs on, always ephemeral: a conversation's idle thread (still loaded),
 * a client-tool thread (built-ins off, the client's tools as dynamic tools, a spare with the same
 * tools if one waits), or a plain thread (a spare if one waits). A plain thread gets no developer
 * instructions at start: they are its first injected message, so a spare serves any of them.
 */
export async function openTurnThread(
  conn: AppServerConnection,
  spec: TurnSpec,
  deps: ThreadOpenerDeps,
): Promise<OpenedThread> {
  const raw = spec.rawItems !== false;
  // A request's own thread: a spare's parameters, with the request's sandbox.
  const own = { ...deps.spares.ephemeralThreadParams(spec.model, raw), sandbox: spec.sandbox };
  const toolParams: SpareVariant['params'] | null = spec.tools
    ? {
        config: clientToolsThreadConfig(await deps.catalog.path),
        dynamicTools: spec.tools.dynamicTools,
        experimentalRawEvents: true,
      }
    : null;
  const freshParams = { ...own, ...toolParams };
  // A conversation's idle thread; a replacement (should Codex no longer know it) is a request's own.
  if (spec.thread.kind === 'loaded') return { threadId: spec.thread.threadId, onSpare: false, freshParams };
  const variant = spec.tools && toolParams ? { key: spec.tools.threadKey, params: toolParams } : undefined;
  const spare = deps.spares.take(conn, spec.model, spec.sandbox, variant, raw);
  const threadId = spare ?? (await conn.request('thread/start', freshParams)).thread.id;
  return { threadId, onSpare: spare !== null, freshParams };
}
