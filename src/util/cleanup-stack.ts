/** Gives back one resource. */
export type Release = () => void;

/**
 * The releases of everything an owner has taken, in one list: each acquire registers its release
 * as it happens, and `run()` gives everything back once, newest first (what was taken last may
 * depend on what came before). A resource can also go back early through the handle `add()`
 * returns (a slot at the end of an HTTP answer); it is then off the list. A release that throws
 * is reported to `onError` and the others still run: one failed release must not leak the rest.
 */
export class CleanupStack {
  private readonly entries = new Set<Release>();
  private ran = false;

  constructor(private readonly onError: (err: unknown) => void) {}

  /** True once `run()` has been called. */
  get done(): boolean {
    return this.ran;
  }

  /** Resources still held. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Registers `release` and returns a handle that releases it now (at most once, whoever calls first:
   * the handle or `run()`). After `run()`, a late resource is released at once, never held.
   */
  add(release: Release): Release {
    let pending = true;
    const once: Release = () => {
      if (!pending) return;
      pending = false;
      this.entries.delete(once);
      this.call(release);
    };
    if (this.ran) once();
    else this.entries.add(once);
    return once;
  }

  /** Releases everything still held, newest first; later calls do nothing. */
  run(): void {
    if (this.ran) return;
    this.ran = true;
    for (const release of [...this.entries].reverse()) release();
  }

  private call(release: Release): void {
    try {
      release();
    } catch (err) {
      this.onError(err);
    }
  }
}
