// Danish formatting of dates, deadlines, rates and counts. Times are shown in Europe/Copenhagen,
// whatever the browser's own zone; dates without a time (YYYY-MM-DD) are calendar days and are
// never shifted by a zone.
import type { Counts, National, Status } from './types';

export const TIME_ZONE = 'Europe/Copenhagen';

const dateFormat = new Intl.DateTimeFormat('da-DK', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: TIME_ZONE,
});
const dayFormat = new Intl.DateTimeFormat('da-DK', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const timeFormat = new Intl.DateTimeFormat('da-DK', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: TIME_ZONE,
});
const partsFormat = new Intl.DateTimeFormat('en-CA', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: TIME_ZONE,
});
const percentFormat = new Intl.NumberFormat('da-DK', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const integerFormat = new Intl.NumberFormat('da-DK', { maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat('da-DK', { maximumFractionDigits: 1 });

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a calendar date YYYY-MM-DD that exists. */
export function isDate(text: string): boolean {
  const m = DATE_ONLY.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1;
}

/** "2026-12-05" → "5. dec. 2026"; an instant with an offset → its Copenhagen date. */
export function formatDate(text: string | null | undefined): string {
  if (!text) return '';
  const m = DATE_ONLY.exec(text);
  if (m) return dayFormat.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) return text;
  return dateFormat.format(instant);
}

/** The Copenhagen wall-clock parts of an instant: [YYYY-MM-DD, HH:MM]. */
export function copenhagenParts(instant: Date): [string, string] {
  const parts = Object.fromEntries(partsFormat.formatToParts(instant).map((p) => [p.type, p.value]));
  return [`${parts.year}-${parts.month}-${parts.day}`, `${parts.hour}:${parts.minute}`];
}

/**
 * An instant as "5. dec. 2026 kl. 14.05" (Copenhagen time). A deadline at the end of a day
 * (23:59) is a day's deadline, and an event at midnight was registered as a date: both show as
 * the date alone, as does a date without a time.
 */
export function formatDateTime(text: string | null | undefined): string {
  if (!text) return '';
  if (DATE_ONLY.test(text)) return formatDate(text);
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) return text;
  const [, hm] = copenhagenParts(instant);
  if (hm === '23:59' || hm === '00:00') return dateFormat.format(instant);
  return `${dateFormat.format(instant)} kl. ${timeFormat.format(instant)}`;
}

/** The Copenhagen calendar day of an instant (or the date itself), as YYYY-MM-DD. */
export function dayOf(text: string): string {
  if (DATE_ONLY.test(text)) return text;
  return copenhagenParts(new Date(text))[0];
}

/** Whole days from one calendar day to another (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000);
}

/** A deadline relative to the as-of day: "Overskredet med 3 dage", "Frist i dag", "Om 5 dage". */
export function deadlineText(daysToDue: number): string {
  if (daysToDue < -1) return `Overskredet med ${-daysToDue} dage`;
  if (daysToDue === -1) return 'Overskredet med 1 dag';
  if (daysToDue === 0) return 'Frist i dag';
  if (daysToDue === 1) return 'Frist i morgen';
  return `Om ${daysToDue} dage`;
}

export type Urgency = 'overdue' | 'soon' | 'later';

/** Overdue, due within `soonDays` days (default 14), or later. */
export function urgency(daysToDue: number, soonDays = 14): Urgency {
  if (daysToDue < 0) return 'overdue';
  if (daysToDue <= soonDays) return 'soon';
  return 'later';
}

export const SUPPRESSED_TEXT = 'skjult';
export const SUPPRESSED_EXPLANATION =
  'Skjult: færre end 5 sager, eller et tal der ville afsløre et skjult tal';

/** How one figure is shown: its text, and whether it is suppressed (then it has no link). */
export interface Shown {
  text: string;
  suppressed: boolean;
}

/** A count; null in a suppressed report is "skjult", null otherwise "–". */
export function formatCount(value: number | null | undefined, suppressed: boolean): Shown {
  if (value === null || value === undefined) {
    return suppressed ? { text: SUPPRESSED_TEXT, suppressed: true } : { text: '–', suppressed: false };
  }
  return { text: integerFormat.format(value), suppressed: false };
}

/**
 * A rate (0..1) as "87,5 %". Null: "skjult" when the report suppresses and the denominator is
 * hidden or large enough to measure, else "–" (nothing to measure).
 */
export function formatRate(counts: Counts, suppressed: boolean): Shown {
  if (counts.rate !== null && counts.rate !== undefined) {
    return { text: percentFormat.format(counts.rate), suppressed: false };
  }
  if (suppressed && counts.denominator !== 0) return { text: SUPPRESSED_TEXT, suppressed: true };
  return { text: '–', suppressed: false };
}

/** A rate as a number of percent for charts (null stays null). */
export function ratePercent(rate: number | null | undefined): number | null {
  if (rate === null || rate === undefined) return null;
  return Math.round(rate * 1000) / 10;
}

/** Ankestyrelsen's national figure: "72 % (2023)" or "72 % (2021–2023)". */
export function formatNational(national: National | null | undefined): string {
  if (!national) return '–';
  const years =
    national.first_year === national.last_year
      ? `${national.last_year}`
      : `${national.first_year}–${national.last_year}`;
  return `${integerFormat.format(national.percent)} % (${years})`;
}

export function formatNumber(value: number): string {
  return decimalFormat.format(value);
}

export const STATUS_NAMES: Record<Status, string> = {
  met: 'Overholdt',
  met_late: 'Overholdt for sent',
  overdue: 'Overskredet',
  open: 'Åben',
  exempted: 'Undtaget',
  not_applicable: 'Ikke relevant',
};

export const STATUS_GROUP_NAMES: Record<string, string> = {
  all: 'Alle',
  denominator: 'Alle der måles på (overholdt, for sent, overskredet)',
  done: 'Udført (rettidigt eller for sent)',
  pending: 'Ikke udført (åben eller overskredet)',
  ...STATUS_NAMES,
};

export const ROLE_NAMES: Record<string, string> = {
  worker: 'Rådgiver',
  leader: 'Leder',
  head: 'Afdelingsleder',
  committee: 'Udvalg',
  reviewer: 'Kvalitetsmedarbejder',
  admin: 'Administrator',
};
