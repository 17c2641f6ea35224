// One child's timeline: the case's events and its obligations' deadlines in one time order.
import type { Case, CaseEvent, Obligation } from './types';

export type TimelineEntry = { kind: 'event'; at: string; event: CaseEvent } | { kind: 'deadline'; at: string; obligation: Obligation };

/** The instant an event or deadline sorts by: a date alone counts as the start of its day. */
export function sortTime(at: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(at) ? Date.parse(`${at}T00:00:00+01:00`) : Date.parse(at);
}

/** Events and (if asked) deadlines, oldest first; at the same time an event comes before a deadline. */
export function timeline(c: Case, withDeadlines: boolean): TimelineEntry[] {
  const entries: TimelineEntry[] = c.events.map((event) => ({ kind: 'event', at: event.at, event }));
  if (withDeadlines) for (const obligation of c.obligations) entries.push({ kind: 'deadline', at: obligation.due, obligation });
  return entries
    .map((entry, index) => ({ entry, index, t: sortTime(entry.at) }))
    .sort((a, b) => a.t - b.t || (a.entry.kind === b.entry.kind ? a.index - b.index : a.entry.kind === 'event' ? -1 : 1))
    .map((x) => x.entry);
}
