// Mine sager: the caseworker's worklist — every open obligation of their cases with its next
// step and deadline, overdue first, then due within 14 days; filters; a detail pane per row.
import { api, exportUrl } from '../api';
import { link, type Ctx } from '../app';
import { calendarPanel } from './calendar';
import { clear, exportLink, field, h, select, table } from '../dom';
import { deadlineText, formatDate, formatDateTime, formatNumber, urgency } from '../format';
import { withQuery } from '../state';
import type { RuleInfo, WorklistItem } from '../types';
import { applyFilter, filterFromQuery, filterToQuery, rulesIn, tally, type SortKey, type WorklistFilter } from '../worklist';

function ruleTitle(item: WorklistItem, rule: RuleInfo | undefined): string {
  return `${rule?.name ?? item.rule_name} – ${item.reference}`;
}

/** Rows shown at first: the intake team's caseworkers can have hundreds of open steps. */
const SHOWN_ROWS = 100;

export async function worklistPage(ctx: Ctx): Promise<void> {
  const { me, route, main } = ctx;
  const worker = route.query.worker ?? me.worker ?? '';
  const asOf = route.query.as_of;
  const own = worker === me.worker;
  document.title = 'Mine sager – tilsyn';
  const heading = h('h1', { tabindex: '-1' }, own ? 'Mine sager' : 'Sager');
  main.append(heading);
  if (!worker) {
    main.append(h('p', {}, 'Din bruger er ikke knyttet til en rådgiver, så du har ingen sager.'));
    return;
  }
  const [list, rules] = await Promise.all([api.worklist(worker, { as_of: asOf }), ctx.rules()]);
  if (!ctx.current()) return;
  if (!own) heading.textContent = `Sager for ${list.name}`;
  document.title = `${heading.textContent} – tilsyn`;

  let filter: WorklistFilter = filterFromQuery(route.query);
  let sort: SortKey = route.query.sorter === 'child' || route.query.sorter === 'rule' ? route.query.sorter : 'due';
  const counts = tally(list.items);

  main.append(
    h('p', { class: 'lead' }, `${list.name} · opgjort pr. ${formatDate(list.as_of)}. Næste skridt i hver sag, med de overskredne først.`),
    h(
      'ul',
      { class: 'tiles', 'aria-label': 'Opsummering' },
      h('li', { class: 'tile tile-overdue' }, h('span', { class: 'tile-number' }, counts.overdue), h('span', {}, 'Overskredet')),
      h('li', { class: 'tile tile-soon' }, h('span', { class: 'tile-number' }, counts.soon), h('span', {}, 'Frist inden for 14 dage')),
      h('li', { class: 'tile' }, h('span', { class: 'tile-number' }, counts.all), h('span', {}, 'Åbne skridt i alt')),
    ),
  );

  const showSelect = select(
    'vis',
    [
      { value: 'all', label: `Alle (${counts.all})` },
      { value: 'overdue', label: `Overskredet (${counts.overdue})` },
      { value: 'soon', label: `Overskredet eller frist inden for 14 dage (${counts.overdue + counts.soon})` },
    ],
    filter.show,
  );
  const ruleSelect = select('regel', [{ value: '', label: 'Alle krav' }, ...rulesIn(list.items).map((r) => ({ value: r.id, label: r.name }))], filter.rule);
  const childInput = h('input', { name: 'barn', type: 'search', value: filter.child, autocomplete: 'off' });
  const sortSelect = select(
    'sorter',
    [
      { value: 'due', label: 'Frist (overskredne først)' },
      { value: 'child', label: 'Barn' },
      { value: 'rule', label: 'Krav' },
    ],
    sort,
  );
  const filterForm = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filtrér sager' },
    field('Vis', showSelect),
    field('Krav', ruleSelect),
    field('Barn', childInput, 'Del af barnets id'),
    field('Sortér efter', sortSelect),
  );
  filterForm.addEventListener('submit', (e) => e.preventDefault());

  const results = h('div', { class: 'results' });
  const detail = h('aside', { class: 'detail', 'aria-labelledby': 'detail-heading', 'aria-live': 'polite' });
  const exportArea = h('p', {}, exportLink(exportUrl(`/api/workers/${encodeURIComponent(worker)}/worklist`, { as_of: asOf }), 'arbejdslisten'));

  function showDetail(item: WorklistItem): void {
    const rule = rules.get(item.rule);
    clear(detail);
    detail.append(
      h('h2', { id: 'detail-heading', tabindex: '-1' }, `Barn ${item.child}: ${item.rule_name}`),
      h(
        'dl',
        {},
        h('dt', {}, 'Næste skridt'),
        h('dd', {}, item.next_step ?? rule?.next_step ?? '–'),
        h('dt', {}, 'Frist'),
        h('dd', {}, `${formatDateTime(item.due)} (${deadlineText(item.days_to_due)})`),
        h('dt', {}, 'Krav'),
        h('dd', {}, rule?.name ?? item.rule_name),
        h('dt', {}, 'Lovhjemmel'),
        h('dd', {}, item.reference + (item.reference_confirmed === false ? ' (henvisningen er ikke bekræftet)' : '')),
        rule?.national_measure ? [h('dt', {}, 'Ankestyrelsens måling'), h('dd', {}, rule.national_measure)] : null,
        h('dt', {}, 'Udløst af'),
        h('dd', {}, `${item.trigger_type ?? item.trigger} ${formatDateTime(item.trigger_at)}`),
        h('dt', {}, 'Status'),
        h('dd', {}, item.status_name),
      ),
      h('p', {}, link({ page: 'case', child: item.child, query: asOf ? { as_of: asOf } : {} }, `Åbn sagen for barn ${item.child}`)),
    );
    detail.querySelector<HTMLElement>('h2')?.focus();
  }

  let showAll = false;
  function renderList(): void {
    clear(results);
    const items = applyFilter(list.items, filter, sort);
    if (items.length === 0) {
      results.append(h('p', { class: 'empty' }, list.items.length ? 'Ingen sager passer til filtrene.' : 'Du har ingen åbne skridt.'));
      return;
    }
    const shown = showAll ? items : items.slice(0, SHOWN_ROWS);
    const rows = shown.map((item) => {
      const u = urgency(item.days_to_due);
      const rule = rules.get(item.rule);
      return h(
        'tr',
        { class: `row-${u}` },
        h('th', { scope: 'row' }, link({ page: 'case', child: item.child, query: asOf ? { as_of: asOf } : {} }, item.child, { 'aria-label': `Barn ${item.child}` })),
        h('td', {}, item.next_step ?? rule?.next_step ?? ''),
        h(
          'td',
          {},
          h(
            'button',
            { type: 'button', class: 'link-button', title: ruleTitle(item, rule), 'aria-label': `${item.rule_name}, ${item.reference}: vis detaljer`, onclick: () => showDetail(item) },
            item.rule_name,
          ),
          h('span', { class: 'reference' }, item.reference),
        ),
        h('td', { class: 'nowrap' }, formatDateTime(item.due)),
        h('td', {}, h('span', { class: `badge badge-${u}` }, deadlineText(item.days_to_due))),
      );
    });
    const caption = `${formatNumber(items.length)} af ${formatNumber(list.items.length)} åbne skridt${shown.length < items.length ? `, de første ${shown.length} vises` : ''}`;
    results.append(table(caption, ['Barn', 'Næste skridt', 'Krav', 'Frist', 'Status'], rows));
    if (shown.length < items.length) {
      results.append(
        h(
          'button',
          {
            type: 'button',
            onclick: () => {
              showAll = true;
              renderList();
              ctx.announce(`Alle ${items.length} åbne skridt vises.`);
            },
          },
          `Vis alle ${formatNumber(items.length)}`,
        ),
      );
    }
  }

  const update = () => {
    filter = { show: showSelect.value as WorklistFilter['show'], rule: ruleSelect.value, child: childInput.value };
    sort = sortSelect.value as SortKey;
    ctx.replaceUrl(withQuery(route, { ...filterToQuery(filter), sorter: sort === 'due' ? '' : sort }));
    renderList();
    ctx.announce(`${results.querySelector('caption')?.textContent ?? 'Ingen sager passer til filtrene'}`);
  };
  for (const control of [showSelect, ruleSelect, sortSelect]) control.addEventListener('change', update);
  childInput.addEventListener('input', update);

  detail.append(h('h2', { id: 'detail-heading', tabindex: '-1' }, 'Detaljer'), h('p', {}, 'Vælg et krav i listen for at se dets navn, lovhjemmel og næste skridt.'));
  main.append(filterForm, exportArea, h('div', { class: 'split' }, results, detail));
  renderList();
  if (own) main.append(await calendarPanel(ctx));
}
