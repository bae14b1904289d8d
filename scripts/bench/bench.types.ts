/** What one benchmarked request produced, for either side of the comparison. */
export interface RunResult {
  ok: boolean;
  error: string | null;
  /** Request sent → answer complete (turn/completed, JSON body, or `[DONE]`). */
  totalMs: number;
  /** Request sent → first non-empty text delta; null when none arrived. */
  firstTokenMs: number | null;
  /** Absolute `performance.now()` stamps, to check that concurrent streams really overlapped. */
  startedAt: number;
  firstTokenAt: number | null;
  endedAt: number;
}

/** Something that can run one chat turn: the bare app-server client or the gateway over HTTP. */
export interface BenchTarget {
  readonly name: string;
  /** `stream` only changes the gateway's wire format; the bare client always sees deltas. */
  run(prompt: string, stream: boolean): Promise<RunResult>;
  /** The process whose tree (Node and/or Codex) is measured for memory. */
  readonly rootPid: number;
  stop(): Promise<void>;
}

export function failedRun(startedAt: number, error: unknown): RunResult {
  const endedAt = performance.now();
  const message = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    error: message,
    totalMs: endedAt - startedAt,
    firstTokenMs: null,
    startedAt,
    firstTokenAt: null,
    endedAt,
  };
}
