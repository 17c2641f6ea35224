// The obligations behind a figure of Overblik: the same unit, period, rule, status (and
// caseworker), paged by the API, so the list's total equals the figure that was clicked.
import { api, exportUrl } from '../api';
import { link, type Ctx } from '../app';
import { exportLink, h, table } from '../dom';
import { formatDate, formatDateTime, formatNumber, STATUS_GROUP_NAMES } from '../format';
import { lastPage, pageParam, withQuery } from '../state';

export const PAGE_SIZE = 50;

export async function drilldownPage(ctx: Ctx): Promise<void> {
  const { route, main } = ctx;
  const q = route.query;
  document.title = 'Sager bag tallet – tilsyn';
  const heading = h('h1', { tabindex: '-1' }, 'Sager bag tallet');
  main.append(heading, h('p', {}, link({ page: 'overview', query: { unit: q.unit ?? '', from: q.from ?? '', to: q.to ?? '', as_of: q.as_of ?? '' } }, '← Tilbage til Overblik')));
  const page = pageParam(q);
  // worker=- in the page's URL: the obligations without a caseworker (worker= in the API).
  const worker = q.worker === '-' ? '' : q.worker;
  const query = { unit: q.unit, from: q.from, to: q.to, as_of: q.as_of, rule: q.rule, status: q.status ?? 'all', worker };
  const [list, rules, units] = await Promise.all([api.obligations({ ...query, page, page_size: PAGE_SIZE }), ctx.rules(), ctx.units()]);
  if (!ctx.current()) return;
  const rule = q.rule ? rules.get(q.rule) : undefined;
  const workerName = worker === '' ? 'uden rådgiver' : worker ? (list.obligations[0]?.worker_name ?? worker) : '';
  main.append(
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Krav'),
      h('dd', {}, rule ? `${rule.name} (${rule.versions.map((v) => v.reference).filter((x, i, a) => a.indexOf(x) === i).join('; ')})` : 'Alle krav'),
      h('dt', {}, 'Status'),
      h('dd', {}, STATUS_GROUP_NAMES[query.status] ?? query.status),
      h('dt', {}, 'Enhed'),
      h('dd', {}, units.find((u) => u.id === list.unit)?.name ?? list.unit),
      workerName ? [h('dt', {}, 'Rådgiver'), h('dd', {}, workerName)] : null,
      h('dt', {}, 'Periode'),
      h('dd', {}, `${formatDate(list.from)} – ${formatDate(list.to)} (og alle åbne), opgjort pr. ${formatDate(list.as_of)}`),
    ),
  );
  const pages = lastPage(list.total, PAGE_SIZE);
  const rows = list.obligations.map((o) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, link({ page: 'case', child: o.child, query: q.as_of ? { as_of: q.as_of } : {} }, o.child, { 'aria-label': `Barn ${o.child}` })),
      h('td', {}, h('span', { title: `${o.rule_name} – ${o.reference}` }, o.rule_name), h('span', { class: 'reference' }, o.reference)),
      h('td', {}, `${o.trigger_type ?? ''} ${formatDateTime(o.trigger_at)}`),
      h('td', { class: 'nowrap' }, formatDateTime(o.due)),
      h('td', {}, h('span', { class: `badge badge-${o.status}` }, o.status_name)),
      h('td', {}, o.worker_name ?? '–'),
      h('td', {}, o.unit_name ?? o.unit),
    ),
  );
  const pager = h(
    'nav',
    { class: 'pager', 'aria-label': 'Sider' },
    page > 1 ? link(withQuery(route, { page: page - 1 === 1 ? '' : page - 1 }), '← Forrige side') : null,
    h('span', {}, `Side ${formatNumber(Math.min(page, pages))} af ${formatNumber(pages)}`),
    page < pages ? link(withQuery(route, { page: page + 1 }), 'Næste side →') : null,
  );
  main.append(
    h('p', { class: 'lead', 'data-total': list.total }, `${formatNumber(list.total)} forpligtelser i alt.`),
    h('p', {}, exportLink(exportUrl('/api/obligations', query), `alle ${formatNumber(list.total)} rækker`)),
    list.obligations.length
      ? h('div', { class: 'table-wrap' }, table(`Forpligtelser ${formatNumber((page - 1) * PAGE_SIZE + 1)}–${formatNumber((page - 1) * PAGE_SIZE + list.obligations.length)} af ${formatNumber(list.total)}`, ['Barn', 'Krav', 'Udløst af', 'Frist', 'Status', 'Rådgiver', 'Enhed'], rows))
      : h('p', { class: 'empty' }, 'Ingen forpligtelser.'),
    pages > 1 ? pager : '',
  );
}
