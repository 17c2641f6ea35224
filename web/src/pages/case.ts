// Sag: one child's timeline of events and obligations. Every read is written to the audit log
// by the server.
import { api, exportUrl } from '../api';
import type { Ctx } from '../app';
import { timeline } from '../case-timeline';
import { clear, exportLink, h, table } from '../dom';
import { formatDate, formatDateTime } from '../format';
import { withQuery } from '../state';
import type { CaseEvent } from '../types';

function eventDetails(e: CaseEvent): string {
  const parts = [
    e.measure_type_name,
    e.decision,
    e.context,
    e.legal_basis,
    e.reason,
    e.placement ? 'anbringelse' : null,
    e.worker_name ? `rådgiver: ${e.worker_name}` : null,
  ];
  return parts.filter(Boolean).join(' · ');
}

export async function casePage(ctx: Ctx): Promise<void> {
  const { route, main } = ctx;
  const child = route.child ?? '';
  const asOf = route.query.as_of;
  document.title = `Sag ${child} – tilsyn`;
  main.append(h('h1', { tabindex: '-1' }, `Sag: barn ${child}`));
  const c = await api.child(child, { as_of: asOf });
  if (!ctx.current()) return;
  const overdue = c.obligations.filter((o) => o.status === 'overdue').length;
  const open = c.obligations.filter((o) => o.status === 'open').length;
  main.append(
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Født'),
      h('dd', {}, formatDate(c.birth_date)),
      h('dt', {}, 'Sagen'),
      h('dd', {}, c.open ? `Åben${c.opened ? ` siden ${formatDate(c.opened)}` : ''}` : `Lukket${c.closed ? ` ${formatDate(c.closed)}` : ''}`),
      h('dt', {}, 'Rådgiver'),
      h('dd', {}, c.worker_name ?? 'Ingen'),
      h('dt', {}, 'Enhed'),
      h('dd', {}, c.unit_name ?? c.unit),
      h('dt', {}, 'Opgjort pr.'),
      h('dd', {}, formatDate(c.as_of)),
      h('dt', {}, 'Frister'),
      h('dd', {}, `${overdue} overskredet, ${open} åbne, ${c.obligations.length} i alt`),
    ),
    h('p', {}, exportLink(exportUrl(`/api/children/${encodeURIComponent(child)}`, { as_of: asOf }), 'sagen')),
  );

  const withDeadlines = route.query.frister !== 'nej';
  const toggle = h('input', { type: 'checkbox', id: 'show-deadlines', checked: withDeadlines });
  const list = h('ol', { class: 'timeline' });
  const render = () => {
    clear(list);
    for (const entry of timeline(c, toggle.checked)) {
      if (entry.kind === 'event') {
        const e = entry.event;
        list.append(
          h(
            'li',
            { class: `tl-event${e.retracted ? ' retracted' : ''}` },
            h('time', { datetime: e.at }, formatDateTime(e.at)),
            h('span', { class: 'tl-kind' }, 'Sagsskridt'),
            h('span', { class: 'tl-title' }, h('strong', {}, e.type_name), e.retracted ? h('span', { class: 'badge badge-exempted' }, 'Tilbagekaldt – tæller ikke med') : null),
            eventDetails(e) ? h('span', { class: 'tl-details' }, eventDetails(e)) : null,
          ),
        );
      } else {
        const o = entry.obligation;
        list.append(
          h(
            'li',
            { class: `tl-deadline tl-${o.status}` },
            h('time', { datetime: o.due }, formatDateTime(o.due)),
            h('span', { class: 'tl-kind' }, 'Frist'),
            h('span', { class: 'tl-title' }, h('strong', {}, o.rule_name), h('span', { class: `badge badge-${o.status}` }, o.status_name)),
            h('span', { class: 'tl-details' }, `${o.reference}${o.next_step ? ` · Næste skridt: ${o.next_step}` : ''}`),
          ),
        );
      }
    }
  };
  toggle.addEventListener('change', () => {
    ctx.replaceUrl(withQuery(route, { frister: toggle.checked ? '' : 'nej' }));
    render();
  });
  render();
  main.append(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'timeline-heading' },
      h('h2', { id: 'timeline-heading' }, 'Tidslinje'),
      h('div', { class: 'check' }, toggle, h('label', { for: 'show-deadlines' }, 'Vis frister i tidslinjen')),
      list,
    ),
  );
  const rows = c.obligations.map((o) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, h('span', { title: o.reference }, o.rule_name), h('span', { class: 'reference' }, o.reference)),
      h('td', {}, `${o.trigger_type ?? ''} ${formatDateTime(o.trigger_at)}`),
      h('td', { class: 'nowrap' }, formatDateTime(o.due)),
      h('td', {}, h('span', { class: `badge badge-${o.status}` }, o.status_name)),
      h('td', {}, o.next_step ?? ''),
    ),
  );
  main.append(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'obligations-heading' },
      h('h2', { id: 'obligations-heading' }, 'Forpligtelser'),
      h('div', { class: 'table-wrap' }, table('Sagens forpligtelser efter frist', ['Krav', 'Udløst af', 'Frist', 'Status', 'Næste skridt'], rows)),
    ),
  );
}
