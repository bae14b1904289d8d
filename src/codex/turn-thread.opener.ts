import type { AppServerConnection } from './app-server.connection';
import type { ParamsOf } from './protocol/app-server.protocol';
import { retryWhileClosing } from './turn-protocol.mapper';
import { STORED_SPARE, type SpareThreadsService, type SpareVariant } from './spare-threads.service';
import type { ThreadLockService } from './thread-lock.service';
import type { TurnSpec } from './turn-spec.types';
import type { ToolCatalogService } from './tools/tool-catalog.service';
import { clientToolsThreadConfig } from './tools/tool-thread.config';

export interface ThreadOpenerDeps {
  spares: SpareThreadsService;
  locks: ThreadLockService;
  catalog: ToolCatalogService;
  cwd: string;
}

export interface OpenedThread {
  threadId: string;
  /** A pre-started spare (SpareThreadsService). */
  onSpare: boolean;
  /** Lock on the stored thread the turn writes, held until Codex has unloaded it. */
  threadLease: (() => void) | null;
  /** What is left of the caller's lock on the source thread (resume hands it on, fork lets it go). */
  sourceLease: (() => void) | null;
  /** thread/start parameters for a replacement of this thread (a spare Codex no longer knows). */
  freshParams: ParamsOf<'thread/start'>;
}

/** The parameters of a request's own ephemeral thread: a spare's, with the request's sandbox. */
function ownEphemeralParams(
  deps: ThreadOpenerDeps,
  spec: TurnSpec,
): ReturnType<SpareThreadsService['ephemeralThreadParams']> {
  return { ...deps.spares.ephemeralThreadParams(spec.model, spec.rawItems !== false), sandbox: spec.sandbox };
}

/**
 * Opens the thread a turn runs on: a client-tool thread (built-ins off, the client's tools as
 * dynamic tools, a spare with the same tools if one waits), an ephemeral thread (a spare if one
 * waits), a new stored thread, or a resumed or forked stored one.
 */
export async function openTurnThread(
  conn: AppServerConnection,
  spec: TurnSpec,
  deps: ThreadOpenerDeps,
  sourceLease: (() => void) | null,
): Promise<OpenedThread> {
  const own = ownEphemeralParams(deps, spec);
  const opened = (threadId: string, extra: Partial<OpenedThread> = {}): OpenedThread => ({
    threadId,
    onSpare: false,
    threadLease: null,
    sourceLease,
    freshParams: own,
    ...extra,
  });
  const toolParams: SpareVariant['params'] | null = spec.tools
    ? {
        config: clientToolsThreadConfig(await deps.catalog.path),
        dynamicTools: spec.tools.dynamicTools,
        experimentalRawEvents: true,
      }
    : null;
  // A chat conversation's idle thread, still loaded; a replacement (should Codex no longer know it) is a request's own.
  if (spec.thread.kind === 'loaded') return opened(spec.thread.threadId, { freshParams: { ...own, ...toolParams } });
  if (spec.tools && toolParams) {
    const freshParams = { ...own, ...toolParams };
    const spare = deps.spares.take(conn, spec.model, spec.sandbox, { key: spec.tools.threadKey, params: toolParams });
    return opened(spare ?? (await conn.request('thread/start', freshParams)).thread.id, {
      onSpare: spare !== null,
      freshParams,
    });
  }
  const common = {
    model: spec.model,
    cwd: deps.cwd,
    sandbox: spec.sandbox,
    approvalPolicy: 'never' as const,
    developerInstructions: spec.developerInstructions,
    experimentalRawEvents: spec.rawItems !== false,
  };
  const target = spec.thread;
  switch (target.kind) {
    case 'new': {
      if (target.ephemeral) {
        const spare = deps.spares.take(conn, spec.model, spec.sandbox, undefined, spec.rawItems !== false);
        return opened(spare ?? (await conn.request('thread/start', own)).thread.id, { onSpare: spare !== null });
      }
      // A pre-started stored thread has no developer instructions, so it serves requests without them.
      const fresh = { ...common, ephemeral: false };
      const spare =
        spec.developerInstructions === null ? deps.spares.take(conn, spec.model, spec.sandbox, STORED_SPARE) : null;
      const id = spare ?? (await conn.request('thread/start', fresh)).thread.id;
      return opened(id, { threadLease: deps.locks.claimNew(id), onSpare: spare !== null, freshParams: fresh });
    }
    case 'resume': {
      // Still loaded since its last turn (IdleThreadsService): no thread/resume, no reload from disk.
      if (target.loaded) return opened(target.threadId, { threadLease: sourceLease, sourceLease: null });
      const { thread } = await retryWhileClosing(() =>
        conn.request('thread/resume', { ...common, threadId: target.threadId, excludeTurns: true }),
      );
      return opened(thread.id, { threadLease: sourceLease, sourceLease: null });
    }
    case 'fork': {
      const { thread } = await retryWhileClosing(() =>
        conn.request('thread/fork', {
          ...common,
          threadId: target.threadId,
          lastTurnId: target.lastTurnId,
          ephemeral: target.ephemeral,
          excludeTurns: true,
        }),
      );
      sourceLease?.();
      return opened(thread.id, {
        sourceLease: null,
        threadLease: target.ephemeral ? null : deps.locks.claimNew(thread.id),
      });
    }
  }
}
