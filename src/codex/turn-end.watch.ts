import type { AppServerConnection } from './app-server.connection';

const INTERRUPT_WAIT_MS = 2_000;

/**
 * Whether Codex has ended a turn (turn/completed), and how a run that ends first stops it:
 * turn/interrupt, then a wait for turn/completed of a short while at most, so the thread is
 * unloaded only once Codex has let go of it.
 */
export class TurnEndWatch {
  private settled = false;
  private onSettled: (() => void) | null = null;

  /** Codex reported the turn's end (or will never report it: the interrupt failed). */
  markSettled(): void {
    this.settled = true;
    this.onSettled?.();
  }

  /** A started turn that Codex still runs: ending it early means interrupting it. */
  runs(turnId: string | null): boolean {
    return turnId !== null && !this.settled;
  }

  async interrupt(conn: AppServerConnection | null, threadId: string | null, turnId: string | null): Promise<void> {
    if (!conn?.alive || threadId === null || turnId === null || this.settled) return;
    const done = new Promise<void>((resolve) => {
      this.onSettled = resolve;
      setTimeout(resolve, INTERRUPT_WAIT_MS).unref();
    });
    conn.request('turn/interrupt', { threadId, turnId }).catch(() => this.markSettled());
    await done;
  }
}
