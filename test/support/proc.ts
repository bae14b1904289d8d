import { readdirSync, readFileSync } from 'node:fs';

/** Pids of live processes whose environment holds exactly `entry` (e.g. `CODEX_HOME=/x`), read from /proc. */
export function pidsWithEnv(entry: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // A zombie has exited already; only its parent's bookkeeping is left.
      if (/\) Z /.test(stat)) continue;
      if (readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(entry)) pids.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}
