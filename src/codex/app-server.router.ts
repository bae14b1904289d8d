import type { Notification } from './protocol/app-server.protocol';
import { isRecord } from '../util/is-record';

type NotificationListener = (n: Notification) => void;

/** A server→client request that names a thread, handed to the turn that owns that thread. */
export interface ServerRequestMessage {
  id: number | string;
  method: string;
  params: Record<string, unknown>;
}
/** Returns true when it took the request (and will answer it through `respond`). */
export type RequestHandler = (request: ServerRequestMessage) => boolean;

/** Answers that let a turn go on without a human: every approval is declined, every question cancelled. */
function answerFor(method: string): unknown {
  // A client tool call whose turn has no client attached: the model reads this text as the tool's output.
  if (method === 'item/tool/call')
    return { contentItems: [{ type: 'inputText', text: 'No client is attached to run this tool.' }], success: false };
  if (method === 'item/tool/requestUserInput') return { answers: {} };
  if (method === 'mcpServer/elicitation/request') return { action: 'decline', content: null };
  if (method === 'item/permissions/requestApproval') return { permissions: {}, scope: 'turn' };
  if (method === 'applyPatchApproval' || method === 'execCommandApproval') return { decision: 'denied' };
  return { decision: 'decline' };
}

function threadOf(params: unknown): string | null {
  return isRecord(params) && typeof params.threadId === 'string' ? params.threadId : null;
}

/**
 * Routes what app-server sends unasked by the thread it names: notifications to the listeners of
 * that thread (those of unknown threads are dropped), server→client requests to the handler of
 * the turn that owns the thread, or else answered at once (see answerFor).
 */
export class ThreadRouter {
  private readonly threadListeners = new Map<string, Set<NotificationListener>>();
  private readonly requestHandlers = new Map<string, RequestHandler>();

  constructor(private readonly respond: (id: number | string, result: unknown) => void) {}

  /** Routes every notification that names `threadId` to `listener` until the returned function is called. */
  subscribeThread(threadId: string, listener: NotificationListener): () => void {
    let set = this.threadListeners.get(threadId);
    if (!set) this.threadListeners.set(threadId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.threadListeners.get(threadId) === set) this.threadListeners.delete(threadId);
    };
  }

  /**
   * Hands server→client requests that name `threadId` to `handler` until the returned function is
   * called. A request nobody takes is answered at once (see answerFor), so no turn waits forever.
   */
  handleThreadRequests(threadId: string, handler: RequestHandler): () => void {
    this.requestHandlers.set(threadId, handler);
    return () => {
      if (this.requestHandlers.get(threadId) === handler) this.requestHandlers.delete(threadId);
    };
  }

  onServerRequest(id: unknown, method: string, params: unknown): void {
    if (typeof id !== 'number' && typeof id !== 'string') return;
    const threadId = threadOf(params);
    const handler = threadId === null ? undefined : this.requestHandlers.get(threadId);
    if (handler && isRecord(params) && handler({ id, method, params })) return;
    // A server→client request must be answered, or the turn that asked waits forever.
    this.respond(id, answerFor(method));
  }

  onNotification(n: Notification): void {
    const threadId = threadOf(n.params);
    if (threadId === null) return;
    const listeners = this.threadListeners.get(threadId);
    if (listeners) for (const listener of [...listeners]) listener(n);
  }
}
