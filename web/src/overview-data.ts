// Pure helpers of Overblik: the unit tree for the picker, and each caseworker's figures (summed
// over rules, or for one rule) joined with their caseload.
import type { Caseloads, Counts, Rates, Unit } from './types';

/** Units in tree order (parents before children), each with its depth, for an indented picker. */
export function unitTree(units: Unit[]): { unit: Unit; depth: number }[] {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<string, Unit[]>();
  const roots: Unit[] = [];
  for (const unit of units) {
    if (unit.parent && ids.has(unit.parent)) {
      const list = children.get(unit.parent) ?? [];
      list.push(unit);
      children.set(unit.parent, list);
    } else {
      roots.push(unit);
    }
  }
  const out: { unit: Unit; depth: number }[] = [];
  const walk = (unit: Unit, depth: number) => {
    out.push({ unit, depth });
    for (const child of children.get(unit.id) ?? []) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return out;
}

const SUMMED = ['met', 'met_late', 'overdue', 'open', 'denominator', 'done'] as const;

/** Counts added up over rules; the rate recomputed as met / denominator. */
export function sumCounts(list: Counts[]): Counts {
  const out: Counts = {};
  for (const key of SUMMED) out[key] = list.reduce((sum, c) => sum + (c[key] ?? 0), 0);
  out.rate = out.denominator ? (out.met ?? 0) / out.denominator : null;
  return out;
}

export interface WorkerRow {
  worker: string | null;
  name: string;
  unit_name: string;
  counts: Counts;
  open_cases?: number;
  fte?: number;
  cases_per_full_time?: number;
  level?: 'below' | 'within' | 'above';
}

/**
 * One row per caseworker of the rates' split (and one for obligations without a caseworker), with
 * the counts of `rule` (or all rules), joined with the caseload by worker id. Caseworkers with
 * a caseload but no obligations in the period still get a row.
 */
export function workerRows(rates: Rates, caseloads: Caseloads | null, rule: string): WorkerRow[] {
  const loads = new Map((caseloads?.workers ?? []).map((w) => [w.worker, w]));
  const rows: WorkerRow[] = [];
  const seen = new Set<string>();
  for (const w of rates.workers ?? []) {
    const counts = rule ? (w.rates.find((r) => r.rule === rule) ?? {}) : sumCounts(w.rates);
    const load = w.worker ? loads.get(w.worker) : undefined;
    if (w.worker) seen.add(w.worker);
    rows.push({
      worker: w.worker,
      name: w.name ?? 'Uden rådgiver',
      unit_name: w.unit_name ?? w.unit,
      counts,
      open_cases: load?.open_cases,
      fte: load?.fte,
      cases_per_full_time: load?.cases_per_full_time,
      level: load?.level,
    });
  }
  for (const load of caseloads?.workers ?? []) {
    if (seen.has(load.worker)) continue;
    rows.push({
      worker: load.worker,
      name: load.name,
      unit_name: load.unit_name ?? load.unit,
      counts: {},
      open_cases: load.open_cases,
      fte: load.fte,
      cases_per_full_time: load.cases_per_full_time,
      level: load.level,
    });
  }
  return rows;
}

export type WorkerSort = 'name' | 'overdue' | 'rate' | 'caseload';

/**
 * Caseworkers by name, or those who most need a look first: most overdue, lowest rate, highest
 * caseload per full-time post. Rows without the figure come last; ties go by name. The row for
 * obligations without a caseworker stays last.
 */
export function sortWorkerRows(rows: readonly WorkerRow[], key: WorkerSort): WorkerRow[] {
  const value = (r: WorkerRow): number | null => {
    if (key === 'overdue') return r.counts.overdue ?? null;
    if (key === 'rate') return r.counts.rate === null || r.counts.rate === undefined ? null : -r.counts.rate;
    if (key === 'caseload') return r.cases_per_full_time ?? null;
    return null;
  };
  const byName = (a: WorkerRow, b: WorkerRow) => a.name.localeCompare(b.name, 'da');
  return [...rows].sort((a, b) => {
    if ((a.worker === null) !== (b.worker === null)) return a.worker === null ? 1 : -1;
    if (key === 'name') return byName(a, b);
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return va === vb ? byName(a, b) : va === null ? 1 : -1;
    return vb - va || byName(a, b);
  });
}
