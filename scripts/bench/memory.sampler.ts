import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface MemoryPeak {
  /** Highest summed RSS of the tree seen in one sample, in MB. */
  totalMb: number;
  /** The root process's share of that sample (Node for the gateway, app-server for the baseline). */
  rootMb: number;
  /** Processes counted in that sample. */
  processes: number;
  /** Samples taken, and forked children left out because they still shared their parent's memory. */
  samples: number;
  forkShadowsSkipped: number;
}

interface ProcInfo {
  rssKb: number;
  vmKb: number;
  identity: string;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function info(pid: number): ProcInfo | null {
  const status = read(`/proc/${pid}/status`);
  if (status === null) return null;
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  let exe = '';
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    // A zombie or a process of another user: identity by command line only.
  }
  return { rssKb: field('VmRSS'), vmKb: field('VmSize'), identity: `${exe}\0${read(`/proc/${pid}/cmdline`) ?? ''}` };
}

function children(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    for (const c of (read(`/proc/${pid}/task/${tid}/children`) ?? '').split(/\s+/)) if (c) out.push(Number(c));
  }
  return out;
}

/**
 * Samples the RSS of a process and all its descendants from /proc. A child that was forked but
 * has not exec'd yet (app-server forks `git` and shells) still maps its parent's memory and would
 * count the parent twice (codex-cli.md §13 item 7); it is recognised by the same executable,
 * command line and virtual size as its parent, and skipped.
 */
export class TreeMemorySampler {
  private timer: NodeJS.Timeout | null = null;
  private peak: MemoryPeak = { totalMb: 0, rootMb: 0, processes: 0, samples: 0, forkShadowsSkipped: 0 };

  constructor(
    private readonly rootPid: number,
    private readonly intervalMs = 20,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): MemoryPeak {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return { ...this.peak };
  }

  private sample(): void {
    const root = info(this.rootPid);
    if (!root) return;
    let totalKb = root.rssKb;
    let processes = 1;
    const stack: [number, ProcInfo][] = [[this.rootPid, root]];
    while (stack.length > 0) {
      const [pid, parent] = stack.pop() as [number, ProcInfo];
      for (const child of children(pid)) {
        const c = info(child);
        if (!c) continue;
        if (c.identity === parent.identity && c.vmKb === parent.vmKb) {
          this.peak.forkShadowsSkipped++;
          continue;
        }
        totalKb += c.rssKb;
        processes++;
        stack.push([child, c]);
      }
    }
    this.peak.samples++;
    if (totalKb / 1024 > this.peak.totalMb) {
      this.peak = { ...this.peak, totalMb: totalKb / 1024, rootMb: root.rssKb / 1024, processes };
    }
  }
}
