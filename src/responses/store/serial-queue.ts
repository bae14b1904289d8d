/**
 * Runs operations one at a time, in order; a failure is reported and the queue goes on. `idle`
 * says nothing is queued or running, so a caller may act on the spot without breaking the order.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(private readonly onError: (err: unknown) => void) {}

  get idle(): boolean {
    return this.pending === 0;
  }

  /** Resolves once `op` has run (failed or not), and everything queued before it. */
  run(op: () => Promise<void>): Promise<void> {
    this.pending++;
    this.tail = this.tail
      .then(op)
      .catch((err: unknown) => this.onError(err))
      .finally(() => {
        this.pending--;
      });
    return this.tail;
  }

  /** Resolves once everything queued so far has run. */
  drained(): Promise<void> {
    return this.tail;
  }
}
