import { describe, expect, it } from 'vitest';
import { dayOf, daysBetween, deadlineText, formatCount, formatDate, formatDateTime, formatNational, formatRate, isDate, ratePercent, urgency } from '../../src/format';

// Non-breaking spaces as Intl writes them in Danish ("87,5 %").
const norm = (s: string) => s.replace(/\u00a0|\u202f/g, ' ');

describe('dates in Danish, Europe/Copenhagen', () => {
  it('formats a calendar date without shifting it', () => {
    expect(formatDate('2026-12-05')).toBe('5. dec. 2026');
    expect(formatDate('2025-01-01')).toBe('1. jan. 2025');
    expect(formatDate('2024-06-30')).toBe('30. jun. 2024');
  });
  it('formats an instant as its Copenhagen date, whatever its offset', () => {
    // 23:30 UTC on 5 December is 00:30 on 6 December in Copenhagen (CET, +01:00).
    expect(formatDate('2026-12-05T23:30:00Z')).toBe('6. dec. 2026');
    expect(dayOf('2026-12-05T23:30:00Z')).toBe('2026-12-06');
    // Summer time (+02:00): 22:30 UTC on 30 June is 00:30 on 1 July.
    expect(dayOf('2025-06-30T22:30:00Z')).toBe('2025-07-01');
  });
  it('shows the time of day in Copenhagen time, and a day deadline or date-only event as the date', () => {
    expect(formatDateTime('2023-11-18T02:40:00+01:00')).toBe('18. nov. 2023 kl. 02.40');
    expect(formatDateTime('2025-06-14T08:20:00Z')).toBe('14. jun. 2025 kl. 10.20');
    expect(formatDateTime('2025-08-10T23:59:59+02:00')).toBe('10. aug. 2025');
    expect(formatDateTime('2024-03-25T00:00:00+01:00')).toBe('25. mar. 2024');
    expect(formatDateTime('2024-03-25')).toBe('25. mar. 2024');
    expect(formatDateTime(null)).toBe('');
  });
  it('counts days between calendar dates across the change to summer time', () => {
    expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2);
    expect(daysBetween('2025-06-30', '2025-06-16')).toBe(-14);
  });
  it('checks dates', () => {
    expect(isDate('2025-02-28')).toBe(true);
    expect(isDate('2025-02-29')).toBe(false);
    expect(isDate('2025-2-28')).toBe(false);
  });
});

describe('deadlines', () => {
  it('says how far off a deadline is', () => {
    expect(deadlineText(-3)).toBe('Overskredet med 3 dage');
    expect(deadlineText(-1)).toBe('Overskredet med 1 dag');
    expect(deadlineText(0)).toBe('Frist i dag');
    expect(deadlineText(1)).toBe('Frist i morgen');
    expect(deadlineText(14)).toBe('Om 14 dage');
  });
  it('groups by urgency: overdue, within 14 days, later', () => {
    expect(urgency(-1)).toBe('overdue');
    expect(urgency(0)).toBe('soon');
    expect(urgency(14)).toBe('soon');
    expect(urgency(15)).toBe('later');
  });
});

describe('rates and suppression', () => {
  it('formats a rate as a Danish percentage with one decimal', () => {
    expect(norm(formatRate({ rate: 0.8765, denominator: 10 }, false).text)).toBe('87,7 %');
    expect(norm(formatRate({ rate: 1, denominator: 3 }, false).text)).toBe('100,0 %');
  });
  it('shows nothing to measure as a dash, and a suppressed rate as "skjult"', () => {
    expect(formatRate({ rate: null, denominator: 0 }, false)).toEqual({ text: '–', suppressed: false });
    expect(formatRate({ rate: null, denominator: 0 }, true)).toEqual({ text: '–', suppressed: false });
    expect(formatRate({ rate: null, denominator: null }, true)).toEqual({ text: 'skjult', suppressed: true });
    expect(formatRate({ rate: null, denominator: 12 }, true)).toEqual({ text: 'skjult', suppressed: true });
  });
  it('shows a suppressed count as "skjult", a missing one as a dash, others with Danish grouping', () => {
    expect(formatCount(null, true)).toEqual({ text: 'skjult', suppressed: true });
    expect(formatCount(null, false)).toEqual({ text: '–', suppressed: false });
    expect(norm(formatCount(12345, true).text)).toBe('12.345');
    expect(formatCount(0, true).text).toBe('0');
  });
  it('gives the chart percentages and the national figure with its years', () => {
    expect(ratePercent(0.8765)).toBe(87.7);
    expect(ratePercent(null)).toBeNull();
    expect(norm(formatNational({ first_year: 2023, last_year: 2023, percent: 72 }))).toBe('72 % (2023)');
    expect(norm(formatNational({ first_year: 2021, last_year: 2023, percent: 64 }))).toBe('64 % (2021–2023)');
    expect(formatNational(null)).toBe('–');
  });
});
