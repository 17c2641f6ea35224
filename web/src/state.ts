// The URL is the page's state: which page, and its pickers and filters as query parameters, so a
// view can be bookmarked, shared and reached with the browser's back button.

export type PageName = 'login' | 'worklist' | 'overview' | 'drilldown' | 'case' | 'admin' | 'notfound';

export interface Route {
  page: PageName;
  /** The child of the case page. */
  child?: string;
  query: Record<string, string>;
}

const PATHS: [PageName, string][] = [
  ['login', '/log-ind'],
  ['worklist', '/mine-sager'],
  ['overview', '/overblik'],
  ['drilldown', '/overblik/sager'],
  ['admin', '/administration'],
];

/** The route of a path and query string. */
export function parseRoute(pathname: string, search: string): Route {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    if (value !== '') query[key] = value;
  }
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/' || path === '') return { page: 'worklist', query };
  const caseMatch = /^\/sag\/([^/]+)$/.exec(path);
  if (caseMatch) return { page: 'case', child: decodeURIComponent(caseMatch[1]), query };
  for (const [page, p] of PATHS) {
    if (path === p) return { page, query };
  }
  return { page: 'notfound', query };
}

/** The URL of a route: its path, then its non-empty query parameters in key order. */
export function routeUrl(route: Route): string {
  let path: string;
  if (route.page === 'case') path = `/sag/${encodeURIComponent(route.child ?? '')}`;
  else path = PATHS.find(([page]) => page === route.page)?.[1] ?? '/';
  return path + queryString(route.query);
}

/** "?a=1&b=2" from the non-empty values, keys sorted; "" when there are none. */
export function queryString(query: Record<string, string | number | boolean | null | undefined>): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (value === null || value === undefined || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The route with some query parameters changed; null or '' removes one. */
export function withQuery(route: Route, changes: Record<string, string | number | null | undefined>): Route {
  const query = { ...route.query };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '') delete query[key];
    else query[key] = String(value);
  }
  return { ...route, query };
}

/** A positive whole page number from the query (default 1). */
export function pageParam(query: Record<string, string>, key = 'page'): number {
  const n = Number(query[key]);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/** The page the user lands on after logging in, by role. */
export function homeFor(role: string): PageName {
  if (role === 'worker') return 'worklist';
  if (role === 'admin') return 'admin';
  return 'overview';
}

/** The last page of a paged list (at least 1). */
export function lastPage(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** The calendar quarter holding a day: K1..K4 with its first and last day. */
export function quarterOf(day: string): { label: string; from: string; to: string } {
  const year = Number(day.slice(0, 4));
  const q = Math.floor((Number(day.slice(5, 7)) - 1) / 3);
  const first = String(q * 3 + 1).padStart(2, '0');
  const lastMonth = q * 3 + 3;
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  return {
    label: `K${q + 1} ${year}`,
    from: `${year}-${first}-01`,
    to: `${year}-${String(lastMonth).padStart(2, '0')}-${String(lastDay).padStart(2, '0')}`,
  };
}

/** The `count` quarters ending with the one holding `day`, newest first. */
export function recentQuarters(day: string, count: number): { label: string; from: string; to: string }[] {
  const out = [];
  let current = quarterOf(day);
  for (let i = 0; i < count; ++i) {
    out.push(current);
    const before = new Date(Date.parse(`${current.from}T00:00:00Z`) - 86_400_000);
    current = quarterOf(before.toISOString().slice(0, 10));
  }
  return out;
}
