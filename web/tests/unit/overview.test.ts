import { describe, expect, it } from 'vitest';
import { timeline } from '../../src/case-timeline';
import { sortWorkerRows, sumCounts, unitTree, workerRows } from '../../src/overview-data';
import type { Case, Caseloads, Rates } from '../../src/types';

describe('unit picker', () => {
  it('orders units as a tree with depths, parents first', () => {
    const tree = unitTree([
      { id: 'T06', parent: 'DN', kind: 'team', name: 'Team 0–6' },
      { id: 'M1', parent: null, kind: 'municipality', name: 'Kommune' },
      { id: 'DN', parent: 'M1', kind: 'district', name: 'Nord' },
      { id: 'DS', parent: 'M1', kind: 'district', name: 'Syd' },
    ]);
    expect(tree.map((t) => `${t.depth}${t.unit.id}`)).toEqual(['0M1', '1DN', '2T06', '1DS']);
  });
  it('treats a unit whose parent is out of sight as a root', () => {
    expect(unitTree([{ id: 'T06', parent: 'DN', kind: 'team', name: 'x' }])[0].depth).toBe(0);
  });
});

describe('per-caseworker table', () => {
  const rates: Rates = {
    unit: 'DN', as_of: '2025-06-30', from: '2024-07-01', to: '2025-06-30', suppressed: false, rates: [],
    workers: [
      { worker: 'W03', name: 'Anne', unit: 'T06', unit_name: 'Team 0–6', rates: [
        { rule: 'a', met: 3, met_late: 1, overdue: 0, open: 2, denominator: 4, done: 4, rate: 0.75 },
        { rule: 'b', met: 1, met_late: 0, overdue: 1, open: 0, denominator: 2, done: 1, rate: 0.5 },
      ] },
      { worker: null, name: null, unit: 'DN', rates: [{ rule: 'a', met: 0, met_late: 0, overdue: 2, open: 0, denominator: 2, done: 0, rate: 0 }] },
    ],
  };
  const caseloads: Caseloads = {
    unit: 'DN', as_of: '2025-06-30', band: { min_cases: 20, max_cases: 30 },
    workers: [
      { worker: 'W03', name: 'Anne', unit: 'T06', fte: 0.8, open_cases: 28, cases_per_full_time: 35, level: 'above' },
      { worker: 'W04', name: 'Bo', unit: 'T06', fte: 1, open_cases: 0, cases_per_full_time: 0, level: 'below' },
    ],
  };
  it('sums a caseworker’s counts over rules and recomputes the rate', () => {
    expect(sumCounts(rates.workers![0].rates)).toMatchObject({ met: 4, overdue: 1, denominator: 6, rate: 4 / 6 });
    expect(sumCounts([]).rate).toBeNull();
  });
  it('joins rates with caseloads; keeps those without a caseworker and those with no obligations', () => {
    const rows = workerRows(rates, caseloads, '');
    expect(rows.map((r) => [r.worker, r.name, r.open_cases, r.level])).toEqual([
      ['W03', 'Anne', 28, 'above'],
      [null, 'Uden rådgiver', undefined, undefined],
      ['W04', 'Bo', 0, 'below'],
    ]);
    expect(workerRows(rates, caseloads, 'b')[0].counts.rate).toBe(0.5);
    expect(workerRows(rates, null, 'b')[1].counts).toEqual({});
  });
});

describe('case timeline', () => {
  const c: Case = {
    child: 'B1', birth_date: '2020-01-01', as_of: '2025-06-30', open: true, unit: 'T06',
    events: [
      { id: 'E1', type: 'x', type_name: 'underretning modtaget', at: '2025-01-10T10:00:00+01:00', date_only: false, retracted: false },
      { id: 'E2', type: 'y', type_name: 'sag tildelt', at: '2025-01-11', date_only: true, retracted: false },
    ],
    obligations: [
      { rule: 'r', rule_name: 'Vurdering', law: 'BL', reference: 'BL § 1', child: 'B1', trigger: 'E1', due: '2025-01-11T10:00:00+01:00', status: 'met', status_name: 'overholdt', unit: 'T06', time_assumed: false },
      { rule: 's', rule_name: 'Samme dag', law: 'BL', reference: 'BL § 2', child: 'B1', trigger: 'E1', due: '2025-01-11T00:00:00+01:00', status: 'open', status_name: 'åben', unit: 'T06', time_assumed: false },
    ],
  };
  it('merges events and deadlines in time order, an event before a deadline at the same time', () => {
    expect(timeline(c, true).map((e) => (e.kind === 'event' ? e.event.id : e.obligation.rule))).toEqual(['E1', 'E2', 's', 'r']);
  });
  it('leaves deadlines out when asked', () => {
    expect(timeline(c, false).map((e) => e.kind)).toEqual(['event', 'event']);
  });
});

describe('caseworker order', () => {
  const row = (worker: string | null, name: string, overdue: number | null, rate: number | null, load?: number) =>
    ({ worker, name, unit_name: 'T', counts: { overdue, rate }, cases_per_full_time: load });
  const rows = [row('W1', 'Bo', 2, 0.9, 25), row(null, 'Uden rådgiver', 9, 0.1), row('W2', 'Ane', 5, null, 31), row('W3', 'Åse', 5, 0.5)];
  it('sorts by name in Danish order, the row without a caseworker last', () => {
    expect(sortWorkerRows(rows, 'name').map((r) => r.name)).toEqual(['Ane', 'Bo', 'Åse', 'Uden rådgiver']);
  });
  it('puts those who most need a look first; missing figures last; ties by name', () => {
    expect(sortWorkerRows(rows, 'overdue').map((r) => r.name)).toEqual(['Ane', 'Åse', 'Bo', 'Uden rådgiver']);
    expect(sortWorkerRows(rows, 'rate').map((r) => r.name)).toEqual(['Åse', 'Bo', 'Ane', 'Uden rådgiver']);
    expect(sortWorkerRows(rows, 'caseload').map((r) => r.name)).toEqual(['Ane', 'Bo', 'Åse', 'Uden rådgiver']);
  });
});
