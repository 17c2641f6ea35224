import { describe, expect, it } from 'vitest';
import type { WorklistItem } from '../../src/types';
import { applyFilter, filterFromQuery, filterToQuery, rulesIn, sortItems, tally } from '../../src/worklist';

function item(child: string, rule: string, due: string, days: number, ruleName = rule): WorklistItem {
  return {
    rule, rule_name: ruleName, law: 'BL', reference: 'BL § 95', child, trigger: `${child}-E1`, due,
    status: days < 0 ? 'overdue' : 'open', status_name: days < 0 ? 'overskredet' : 'åben', unit: 'T06',
    time_assumed: false, days_to_due: days,
  };
}

const items = [
  item('B010', 'follow_up', '2025-08-10T23:59:59+02:00', 41, 'Opfølgning'),
  item('B002', 'plan', '2025-07-01T23:59:59+02:00', 1, 'Barnets plan'),
  item('B005', 'conversation', '2024-03-25T23:59:59+01:00', -462, 'Børnesamtale'),
  item('B003', 'follow_up', '2025-06-20T23:59:59+02:00', -10, 'Opfølgning'),
  item('B004', 'plan', '2025-07-14T23:59:59+02:00', 14, 'Barnets plan'),
];

describe('worklist order', () => {
  it('puts overdue first, then by deadline', () => {
    expect(sortItems(items).map((i) => i.child)).toEqual(['B005', 'B003', 'B002', 'B004', 'B010']);
  });
  it('sorts by child (numerically) or by rule name, each then by deadline', () => {
    expect(sortItems(items, 'child').map((i) => i.child)).toEqual(['B002', 'B003', 'B004', 'B005', 'B010']);
    expect(sortItems(items, 'rule').map((i) => i.child)).toEqual(['B002', 'B004', 'B005', 'B003', 'B010']);
  });
  it('does not change the list it is given', () => {
    const copy = [...items];
    sortItems(items);
    expect(items).toEqual(copy);
  });
});

describe('worklist filters', () => {
  it('shows only what is overdue, or overdue and due within 14 days', () => {
    expect(applyFilter(items, { show: 'overdue', rule: '', child: '' }).map((i) => i.child)).toEqual(['B005', 'B003']);
    expect(applyFilter(items, { show: 'soon', rule: '', child: '' }).map((i) => i.child)).toEqual(['B005', 'B003', 'B002', 'B004']);
  });
  it('filters by rule and by part of the child id, case-insensitively', () => {
    expect(applyFilter(items, { show: 'all', rule: 'plan', child: '' }).map((i) => i.child)).toEqual(['B002', 'B004']);
    expect(applyFilter(items, { show: 'all', rule: '', child: ' b00 ' }).length).toBe(4);
    expect(applyFilter(items, { show: 'overdue', rule: 'plan', child: '' })).toEqual([]);
  });
  it('counts overdue, due within 14 days and all', () => {
    expect(tally(items)).toEqual({ overdue: 2, soon: 2, later: 1, all: 5 });
  });
  it('lists the rules present, by Danish name', () => {
    expect(rulesIn(items)).toEqual([
      { id: 'plan', name: 'Barnets plan' },
      { id: 'conversation', name: 'Børnesamtale' },
      { id: 'follow_up', name: 'Opfølgning' },
    ]);
  });
  it('keeps the filter in the URL and reads it back; unknown values fall back', () => {
    const filter = { show: 'overdue' as const, rule: 'plan', child: 'B0' };
    expect(filterFromQuery(filterToQuery(filter))).toEqual(filter);
    expect(filterToQuery({ show: 'all', rule: '', child: '' })).toEqual({ vis: '', regel: '', barn: '' });
    expect(filterFromQuery({ vis: 'nonsense' })).toEqual({ show: 'all', rule: '', child: '' });
  });
});
