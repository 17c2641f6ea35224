// The worklist's own logic: grouping by urgency, filters and sort orders, done in the browser on
// the one worker's list the API returns.
import { urgency, type Urgency } from './format';
import type { WorklistItem } from './types';

export type Show = 'all' | 'overdue' | 'soon';
export type SortKey = 'due' | 'child' | 'rule';

export interface WorklistFilter {
  show: Show;
  rule: string;
  /** Part of a child's id, case-insensitive. */
  child: string;
}

export const DEFAULT_FILTER: WorklistFilter = { show: 'all', rule: '', child: '' };

/** The filter from URL query parameters (unknown values fall back to the default). */
export function filterFromQuery(query: Record<string, string>): WorklistFilter {
  const show = query.vis === 'overdue' || query.vis === 'soon' ? query.vis : 'all';
  return { show, rule: query.regel ?? '', child: query.barn ?? '' };
}

export function filterToQuery(filter: WorklistFilter): Record<string, string> {
  return {
    vis: filter.show === 'all' ? '' : filter.show,
    regel: filter.rule,
    barn: filter.child,
  };
}

export function matches(item: WorklistItem, filter: WorklistFilter): boolean {
  const u = urgency(item.days_to_due);
  if (filter.show === 'overdue' && u !== 'overdue') return false;
  if (filter.show === 'soon' && u === 'later') return false;
  if (filter.rule && item.rule !== filter.rule) return false;
  const needle = filter.child.trim().toLowerCase();
  if (needle && !item.child.toLowerCase().includes(needle)) return false;
  return true;
}

function byDue(a: WorklistItem, b: WorklistItem): number {
  const ua = a.days_to_due < 0 ? 0 : 1;
  const ub = b.days_to_due < 0 ? 0 : 1;
  if (ua !== ub) return ua - ub;
  const ta = Date.parse(a.due);
  const tb = Date.parse(b.due);
  if (ta !== tb) return ta - tb;
  return a.child.localeCompare(b.child, 'da') || a.rule.localeCompare(b.rule, 'da');
}

/** Overdue first, then by deadline (the default); or by child, or by rule, each then by deadline. */
export function sortItems(items: readonly WorklistItem[], key: SortKey = 'due'): WorklistItem[] {
  const out = [...items];
  if (key === 'child') out.sort((a, b) => a.child.localeCompare(b.child, 'da', { numeric: true }) || byDue(a, b));
  else if (key === 'rule') out.sort((a, b) => a.rule_name.localeCompare(b.rule_name, 'da') || byDue(a, b));
  else out.sort(byDue);
  return out;
}

export function applyFilter(items: readonly WorklistItem[], filter: WorklistFilter, key: SortKey = 'due'): WorklistItem[] {
  return sortItems(items.filter((item) => matches(item, filter)), key);
}

/** How many items are overdue, due within 14 days (not overdue), and in all. */
export function tally(items: readonly WorklistItem[]): Record<Urgency | 'all', number> {
  const t = { overdue: 0, soon: 0, later: 0, all: items.length };
  for (const item of items) t[urgency(item.days_to_due)] += 1;
  return t;
}

/** The rules present in the list, by Danish name, for the rule filter. */
export function rulesIn(items: readonly WorklistItem[]): { id: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const item of items) if (!seen.has(item.rule)) seen.set(item.rule, item.rule_name);
  return [...seen].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'da'));
}
