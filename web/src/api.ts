// A typed client of tilsyn's JSON API (src/server/openapi.json): the only thing the UI talks to.
import { queryString } from './state';
import type {
  AuditPage,
  Case,
  Caseloads,
  Me,
  Obligations,
  QuarterlyRates,
  Rates,
  RuleInfo,
  Unit,
  UserRecord,
  Worklist,
} from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

let csrfToken = '';
let onUnauthenticated: () => void = () => {};

/** Called when the session has ended (401), so the app can show Log ind. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/**
 * The query string of a request. An empty `worker` is kept (worker= asks for the obligations
 * without a caseworker); other empty values are left out.
 */
export function apiQuery(query: Query): string {
  const text = queryString(query);
  if (query.worker !== '') return text;
  return text ? `${text}&worker=` : '?worker=';
}

async function call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, query: Query = {}, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path + apiQuery(query), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'unavailable', 'Serveren svarer ikke. Prøv igen om lidt.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
    if (response.status === 401 && path !== '/api/login') onUnauthenticated();
    throw new ApiError(response.status, error?.code ?? 'internal', error?.message ?? `Fejl ${response.status}`);
  }
  return json as T;
}

/** The address of a list's export: the same request with format=xlsx (every row, audited). */
export function exportUrl(path: string, query: Query, format: 'xlsx' | 'csv' = 'xlsx'): string {
  const q: Query = { ...query, format };
  delete q.page;
  delete q.page_size;
  return path + apiQuery(q);
}

export interface PeriodQuery extends Query {
  unit?: string;
  as_of?: string;
  from?: string;
  to?: string;
}

export const api = {
  async login(login: string, password: string): Promise<Me> {
    const me = await call<Me>('POST', '/api/login', {}, { login, password });
    setCsrfToken(me.csrf_token);
    return me;
  },
  logout: () => call<void>('POST', '/api/logout'),
  async me(): Promise<Me> {
    const me = await call<Me>('GET', '/api/me');
    setCsrfToken(me.csrf_token);
    return me;
  },
  rules: () => call<{ rules: RuleInfo[] }>('GET', '/api/rules'),
  units: () => call<{ units: Unit[] }>('GET', '/api/units'),
  rates: (q: PeriodQuery & { by_worker?: boolean }) => call<Rates>('GET', '/api/rates', q),
  quarterly: (q: { unit?: string; as_of?: string; quarters?: number }) =>
    call<QuarterlyRates>('GET', '/api/rates/quarterly', q),
  obligations: (q: PeriodQuery & { rule?: string; status?: string; worker?: string; page?: number; page_size?: number }) =>
    call<Obligations>('GET', '/api/obligations', q),
  worklist: (worker: string, q: { as_of?: string } = {}) =>
    call<Worklist>('GET', `/api/workers/${encodeURIComponent(worker)}/worklist`, q),
  child: (child: string, q: { as_of?: string } = {}) => call<Case>('GET', `/api/children/${encodeURIComponent(child)}`, q),
  caseloads: (q: { unit?: string; as_of?: string }) => call<Caseloads>('GET', '/api/caseloads', q),
  audit: (q: { user?: string; action?: string; object?: string; from?: string; to?: string; page?: number; page_size?: number }) =>
    call<AuditPage>('GET', '/api/audit', q),
  users: () => call<{ users: UserRecord[] }>('GET', '/api/users'),
  addUser: (user: { login: string; name: string; role: string; unit: string; worker?: string; password: string }) =>
    call<UserRecord>('POST', '/api/users', {}, user),
  disableUser: (login: string) => call<unknown>('POST', `/api/users/${encodeURIComponent(login)}/disable`),
  calendar: () => call<{ exists: boolean; created?: string | null }>('GET', '/api/me/calendar'),
  createCalendar: () => call<{ url: string; path: string }>('POST', '/api/me/calendar'),
  revokeCalendar: () => call<void>('DELETE', '/api/me/calendar'),
};
