import { Injectable } from '@nestjs/common';
import { ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';

export interface SpawnSpec {
  bin: string;
  args: readonly string[];
  env: Record<string, string>;
  cwd: string;
}

/** The only place that starts processes. */
@Injectable()
export class CodexProcessRunner {
  spawn(spec: SpawnSpec): ChildProcessWithoutNullStreams {
    // Own process group, so stopping the group also stops the shells and tools Codex started.
    return spawn(spec.bin, [...spec.args], { env: spec.env, cwd: spec.cwd, stdio: 'pipe', detached: true });
  }

  /** Runs a short command to completion and returns its stdout (no shell, typed arguments only). */
  output(spec: SpawnSpec, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        spec.bin,
        [...spec.args],
        { env: spec.env, cwd: spec.cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- ExecFileException is an Error; its Omit<> type hides that
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      );
    });
  }

  /** Signals the child's whole process group, which may outlive the child itself. */
  killGroup(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): void {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }
}
