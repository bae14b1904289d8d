import { RunResult } from './bench.types';

export interface Paired {
  diffMs: number;
  ratio: number;
}

export interface Figure {
  label: string;
  /** Medians over adjacent request pairs of gateway − baseline and gateway / baseline: steadier on a noisy machine. */
  paired?: Paired;
  baseline: number | null;
  gateway: number;
  unit: 'ms' | 'MB';
  /** Upper bound on the ratio gateway/baseline, the absolute gateway figure, or the per-pair difference (ms). */
  target: { kind: 'ratio' | 'absolute' | 'difference'; max: number };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function okValues(results: RunResult[], pick: (r: RunResult) => number | null): number[] {
  return results.flatMap((r) => {
    const v = r.ok ? pick(r) : null;
    return v === null ? [] : [v];
  });
}

export function passes(f: Figure): boolean {
  if (f.target.kind === 'absolute') return f.gateway <= f.target.max;
  if (f.target.kind === 'difference') return (f.paired?.diffMs ?? Number.NaN) <= f.target.max;
  return f.baseline !== null && f.gateway / f.baseline <= f.target.max;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** A plain-text table: figure, both sides, ratio, per-pair difference and ratio, target, PASS/MISS. */
export function formatFigures(figures: Figure[]): string {
  const rows = [['figure', 'baseline', 'gateway', 'ratio', 'per pair', 'target', 'result']];
  for (const f of figures) {
    const ratio = f.baseline === null ? '-' : `${(f.gateway / f.baseline).toFixed(2)}x`;
    const target =
      f.target.kind === 'ratio'
        ? `<= ${f.target.max.toFixed(2)}x`
        : f.target.kind === 'difference'
          ? `<= +${f.target.max} ${f.unit} per pair`
          : `<= ${f.target.max} ${f.unit}`;
    const base = f.baseline === null ? '-' : `${f.baseline.toFixed(1)} ${f.unit}`;
    const p = f.paired;
    const diff = p === undefined ? '-' : `${p.diffMs >= 0 ? '+' : ''}${p.diffMs.toFixed(1)} ms, ${p.ratio.toFixed(2)}x`;
    rows.push([f.label, base, `${f.gateway.toFixed(1)} ${f.unit}`, ratio, diff, target, passes(f) ? 'PASS' : 'MISS']);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => pad(c, widths[i] ?? 0)).join('  ')).join('\n');
}

/** Per-pair difference and ratio of `pick`, skipping pairs where either side failed. */
export function paired(baseline: RunResult[], gateway: RunResult[], pick: (r: RunResult) => number | null): Paired {
  const pairs = gateway.flatMap((g, i) => {
    const b = baseline[i];
    const x = g.ok ? pick(g) : null;
    const y = b?.ok ? pick(b) : null;
    return x === null || y === null ? [] : [[x, y] as const];
  });
  return { diffMs: median(pairs.map(([x, y]) => x - y)), ratio: median(pairs.map(([x, y]) => x / y)) };
}

export function errorsOf(name: string, results: RunResult[]): string[] {
  return results.filter((r) => !r.ok).map((r) => `${name}: ${r.error ?? 'unknown error'}`);
}
