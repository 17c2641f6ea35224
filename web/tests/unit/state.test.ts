import { describe, expect, it } from 'vitest';
import { apiQuery, exportUrl } from '../../src/api';
import { homeFor, lastPage, pageParam, parseRoute, queryString, quarterOf, recentQuarters, routeUrl, withQuery } from '../../src/state';

describe('routes', () => {
  it('reads pages, the case child and the query from the URL', () => {
    expect(parseRoute('/mine-sager', '?vis=overdue&barn=')).toEqual({ page: 'worklist', query: { vis: 'overdue' } });
    expect(parseRoute('/overblik/sager/', '?rule=plan&status=met')).toEqual({ page: 'drilldown', query: { rule: 'plan', status: 'met' } });
    expect(parseRoute('/sag/B%C3%B8rn%201', '')).toEqual({ page: 'case', child: 'Børn 1', query: {} });
    expect(parseRoute('/', '').page).toBe('worklist');
    expect(parseRoute('/nope', '').page).toBe('notfound');
    expect(parseRoute('/log-ind', '').page).toBe('login');
    expect(parseRoute('/administration', '?audit_page=2').query).toEqual({ audit_page: '2' });
  });
  it('writes a route back to the same URL, query keys sorted, empty values left out', () => {
    expect(routeUrl({ page: 'overview', query: { unit: 'DN', from: '2025-01-01', to: '' } })).toBe('/overblik?from=2025-01-01&unit=DN');
    expect(routeUrl({ page: 'case', child: 'B 1/2', query: {} })).toBe('/sag/B%201%2F2');
    const r = parseRoute('/overblik/sager', '?unit=DN&rule=plan&status=overdue&worker=-');
    expect(parseRoute(routeUrl(r).split('?')[0], `?${routeUrl(r).split('?')[1]}`)).toEqual(r);
  });
  it('changes and removes query parameters', () => {
    const r = { page: 'drilldown' as const, query: { page: '3', rule: 'plan' } };
    expect(withQuery(r, { page: null, status: 'met' }).query).toEqual({ rule: 'plan', status: 'met' });
    expect(r.query).toEqual({ page: '3', rule: 'plan' });
    expect(queryString({})).toBe('');
  });
  it('reads page numbers safely and counts pages', () => {
    expect(pageParam({ page: '4' })).toBe(4);
    expect(pageParam({ page: '0' })).toBe(1);
    expect(pageParam({ page: 'x' })).toBe(1);
    expect(pageParam({})).toBe(1);
    expect(lastPage(0, 50)).toBe(1);
    expect(lastPage(101, 50)).toBe(3);
  });
  it('lands each role on its page', () => {
    expect(homeFor('worker')).toBe('worklist');
    expect(homeFor('leader')).toBe('overview');
    expect(homeFor('committee')).toBe('overview');
    expect(homeFor('admin')).toBe('admin');
  });
});

describe('API addresses', () => {
  it('keeps an empty worker (the obligations without a caseworker) and drops other empty values', () => {
    expect(apiQuery({ unit: 'DN', worker: '' })).toBe('?unit=DN&worker=');
    expect(apiQuery({ worker: '' })).toBe('?worker=');
    expect(apiQuery({ unit: 'DN', rule: '' })).toBe('?unit=DN');
  });
  it('exports the same request as XLSX, without paging', () => {
    expect(exportUrl('/api/obligations', { unit: 'DN', status: 'met', page: 3, page_size: 50 })).toBe('/api/obligations?format=xlsx&status=met&unit=DN');
  });
});

describe('quarters', () => {
  it('finds the quarter of a day', () => {
    expect(quarterOf('2025-06-30')).toEqual({ label: 'K2 2025', from: '2025-04-01', to: '2025-06-30' });
    expect(quarterOf('2024-02-10')).toEqual({ label: 'K1 2024', from: '2024-01-01', to: '2024-03-31' });
    expect(quarterOf('2024-12-31').to).toBe('2024-12-31');
  });
  it('lists recent quarters, newest first, across years', () => {
    expect(recentQuarters('2025-02-01', 3).map((q) => q.label)).toEqual(['K1 2025', 'K4 2024', 'K3 2024']);
  });
});
