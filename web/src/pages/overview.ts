// Overblik for a unit: the rate per rule with the national figure beside it, the trend per
// quarter (chart and table), the per-caseworker table with caseloads against the band; every
// count links to the obligations behind it; period and unit pickers; XLSX export of every table.
import { api, exportUrl } from '../api';
import { link, type Ctx } from '../app';
import { lineChart } from '../chart';
import { clear, exportLink, field, h, select, table } from '../dom';
import { copenhagenParts, formatCount, formatDate, formatNational, formatNumber, formatRate, isDate, ratePercent, SUPPRESSED_EXPLANATION, type Shown } from '../format';
import { sortWorkerRows, unitTree, workerRows, type WorkerSort } from '../overview-data';
import { recentQuarters, withQuery, type Route } from '../state';
import type { Counts, Rates } from '../types';

const LEVEL_TEXT = { below: 'Under', within: 'Inden for', above: 'Over' } as const;
/** Caseworker rows shown at first: a whole municipality has hundreds, and the page must stay fast. */
const WORKER_ROWS = 50;

export async function overviewPage(ctx: Ctx): Promise<void> {
  const { me, route, main } = ctx;
  const q = route.query;
  const committee = me.role === 'committee';
  const seesCases = !committee;
  document.title = 'Overblik – tilsyn';
  const heading = h('h1', { tabindex: '-1' }, 'Overblik');
  main.append(heading);

  const unit = q.unit ?? me.unit;
  const asOf = q.as_of && isDate(q.as_of) ? q.as_of : undefined;
  const period = { from: q.from && isDate(q.from) ? q.from : undefined, to: q.to && isDate(q.to) ? q.to : undefined };
  const [units, rates, quarterly, caseloads] = await Promise.all([
    ctx.units(),
    api.rates({ unit, as_of: asOf, ...period, by_worker: !committee }),
    api.quarterly({ unit, as_of: asOf, quarters: 8 }),
    committee ? Promise.resolve(null) : api.caseloads({ unit, as_of: asOf }).catch(() => null),
  ]);
  if (!ctx.current()) return;
  heading.textContent = `Overblik: ${rates.unit_name ?? rates.unit}`;
  document.title = `${heading.textContent} – tilsyn`;

  // The period and as-of date the server used: drill-down links must ask for exactly these.
  const base = { unit: rates.unit, from: rates.from, to: rates.to, as_of: rates.as_of };
  const drill = (rule: string | undefined, status: string, worker?: string | null): Route => ({
    page: 'drilldown',
    query: { ...base, rule: rule ?? '', status, worker: worker === null ? '-' : (worker ?? '') },
  });
  const figure = (shown: Shown, target: Route | null, label: string): Node => {
    if (shown.suppressed) return h('abbr', { title: SUPPRESSED_EXPLANATION, class: 'suppressed' }, shown.text);
    if (!target || !seesCases || shown.text === '–' || shown.text === '0') return document.createTextNode(shown.text);
    return link(target, shown.text, { 'aria-label': `${shown.text}: ${label}` });
  };

  // ---- pickers
  const unitSelect = select(
    'unit',
    unitTree(units).map(({ unit: u, depth }) => ({ value: u.id, label: `${'\u2003'.repeat(depth)}${u.name}` })),
    rates.unit,
  );
  const today = asOf ?? copenhagenParts(new Date())[0];
  const quarters = recentQuarters(today, 8);
  const periodValue = q.from || q.to ? `${rates.from}|${rates.to}` : '';
  const periodOptions = [
    ...(committee ? [] : [{ value: '', label: 'Seneste 12 måneder' }]),
    ...quarters.map((k) => ({ value: `${k.from}|${k.to}`, label: k.label })),
  ];
  if (periodValue && !periodOptions.some((o) => o.value === periodValue)) {
    periodOptions.push({ value: periodValue, label: `${formatDate(rates.from)} – ${formatDate(rates.to)}` });
  }
  const periodSelect = select('periode', periodOptions, periodValue || (committee ? `${rates.from}|${rates.to}` : ''));
  const fromInput = h('input', { type: 'date', name: 'from', value: q.from ?? '' });
  const toInput = h('input', { type: 'date', name: 'to', value: q.to ?? '' });
  const asOfInput = h('input', { type: 'date', name: 'as_of', value: asOf ?? '' });
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Vælg enhed og periode' },
    field('Enhed', unitSelect),
    field('Periode', periodSelect),
    committee ? null : h('details', { class: 'custom-period' }, h('summary', {}, 'Egen periode'), field('Fra', fromInput), field('Til', toInput)),
    field('Opgjort pr.', asOfInput, 'Tom: i dag'),
    h('button', { type: 'submit', class: 'primary' }, 'Vis'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    let [from, to] = periodSelect.value ? periodSelect.value.split('|') : ['', ''];
    if (!committee && (fromInput.value || toInput.value) && (fromInput.value !== (q.from ?? '') || toInput.value !== (q.to ?? ''))) {
      from = fromInput.value;
      to = toInput.value;
    }
    ctx.navigate(withQuery({ page: 'overview', query: q }, { unit: unitSelect.value === me.unit ? '' : unitSelect.value, from, to, as_of: asOfInput.value }));
  });
  main.append(
    form,
    h(
      'p',
      { class: 'lead' },
      `Frister i perioden ${formatDate(rates.from)} – ${formatDate(rates.to)} og alle åbne, opgjort pr. ${formatDate(rates.as_of)}.`,
      rates.suppressed ? ' Tal under 5 er skjult, så ingen enkeltsag kan genkendes.' : '',
    ),
  );

  // ---- rates per rule
  const rateRows = rates.rates.map((r) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, h('span', { title: r.national_measure ?? r.name }, r.name)),
      h('td', { class: 'num' }, figure(formatRate(r, rates.suppressed), drill(r.rule, 'denominator'), `${r.name}, alle der måles på`)),
      h('td', { class: 'num' }, r.national ? formatNational(r.national) : '–'),
      h('td', { class: 'num' }, figure(formatCount(r.met, rates.suppressed), drill(r.rule, 'met'), `${r.name}, overholdt`)),
      h('td', { class: 'num' }, figure(formatCount(r.met_late, rates.suppressed), drill(r.rule, 'met_late'), `${r.name}, overholdt for sent`)),
      h('td', { class: 'num' }, figure(formatCount(r.overdue, rates.suppressed), drill(r.rule, 'overdue'), `${r.name}, overskredet`)),
      h('td', { class: 'num' }, figure(formatCount(r.open, rates.suppressed), drill(r.rule, 'open'), `${r.name}, åbne`)),
      h('td', { class: 'num' }, figure(formatCount(r.denominator, rates.suppressed), drill(r.rule, 'denominator'), `${r.name}, målt`)),
    ),
  );
  main.append(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'rates-heading' },
      h('h2', { id: 'rates-heading' }, 'Rettidighed pr. krav'),
      h('div', { class: 'table-wrap' }, table('Andel af fristerne der er overholdt, pr. krav, med landstallet fra Ankestyrelsens Børnesagsbarometer', ['Krav', { text: 'Andel rettidigt', class: 'num' }, { text: 'Landstal', class: 'num' }, { text: 'Overholdt', class: 'num' }, { text: 'For sent', class: 'num' }, { text: 'Overskredet', class: 'num' }, { text: 'Åbne', class: 'num' }, { text: 'Målt', class: 'num' }], rateRows)),
      h('p', {}, exportLink(exportUrl('/api/rates', { ...base, by_worker: committee ? undefined : true }), 'tabellen')),
    ),
  );

  // ---- trend per quarter
  const trendRules = quarterly.rates;
  const trendSelect = select('trend', trendRules.map((r) => ({ value: r.rule, label: r.name })), q.trend && trendRules.some((r) => r.rule === q.trend) ? q.trend : (trendRules[0]?.rule ?? ''));
  const trendBody = h('div', { class: 'trend' });
  let chart: { destroy(): void } | null = null;
  const renderTrend = () => {
    chart?.destroy();
    clear(trendBody);
    const r = trendRules.find((x) => x.rule === trendSelect.value);
    if (!r) return;
    const labels = quarterly.quarters.map((k) => (k.complete ? k.quarter : `${k.quarter} (til dato)`));
    const values = r.by_quarter.map((c) => ratePercent(c.rate));
    const canvas = h('canvas', { role: 'img', 'aria-label': `Linjediagram: andel rettidigt pr. kvartal for ${r.name}. Tallene står i tabellen under diagrammet.` });
    const series = [{ label: r.name, values, color: '#1d4f91' }];
    if (r.national) series.push({ label: `Landstal ${formatNational(r.national)}`, values: labels.map(() => r.national!.percent), color: '#8a4b00', dashed: true } as never);
    const rows = quarterly.quarters.map((k, i) => {
      const c: Counts = r.by_quarter[i] ?? {};
      return h(
        'tr',
        {},
        h('th', { scope: 'row' }, labels[i]),
        h('td', { class: 'num' }, figure(formatRate(c, quarterly.suppressed), { page: 'drilldown', query: { unit: quarterly.unit, as_of: quarterly.as_of, from: k.from, to: k.to, rule: r.rule, status: 'denominator' } }, `${r.name}, ${k.quarter}`)),
        h('td', { class: 'num' }, figure(formatCount(c.met, quarterly.suppressed), { page: 'drilldown', query: { unit: quarterly.unit, as_of: quarterly.as_of, from: k.from, to: k.to, rule: r.rule, status: 'met' } }, `${r.name}, ${k.quarter}, overholdt`)),
        h('td', { class: 'num' }, figure(formatCount(c.denominator, quarterly.suppressed), { page: 'drilldown', query: { unit: quarterly.unit, as_of: quarterly.as_of, from: k.from, to: k.to, rule: r.rule, status: 'denominator' } }, `${r.name}, ${k.quarter}, målt`)),
      );
    });
    trendBody.append(
      h('div', { class: 'chart-box' }, canvas),
      h('div', { class: 'table-wrap' }, table(`${r.name}: andel rettidigt pr. kvartal (landstal ${formatNational(r.national)})`, ['Kvartal', { text: 'Andel rettidigt', class: 'num' }, { text: 'Overholdt', class: 'num' }, { text: 'Målt', class: 'num' }], rows)),
    );
    chart = lineChart(canvas, labels, series);
  };
  trendSelect.addEventListener('change', () => {
    ctx.replaceUrl(withQuery(route, { trend: trendSelect.value }));
    renderTrend();
  });
  main.append(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'trend-heading' },
      h('h2', { id: 'trend-heading' }, 'Udvikling pr. kvartal'),
      h('div', { class: 'filters' }, field('Krav', trendSelect)),
      trendBody,
      h('p', {}, exportLink(exportUrl('/api/rates/quarterly', { unit: quarterly.unit, as_of: quarterly.as_of, quarters: 8 }), 'udviklingen')),
    ),
  );
  renderTrend();

  // ---- per caseworker
  if (!committee && rates.workers) main.append(workerSection(ctx, rates, caseloads, drill, figure));
}

function workerSection(
  ctx: Ctx,
  rates: Rates,
  caseloads: Awaited<ReturnType<typeof api.caseloads>> | null,
  drill: (rule: string | undefined, status: string, worker?: string | null) => Route,
  figure: (shown: Shown, target: Route | null, label: string) => Node,
): HTMLElement {
  const band = caseloads?.band;
  const bandText = band?.min_cases !== undefined && band.max_cases !== undefined ? `${band.min_cases}–${band.max_cases}` : '20–30';
  const ruleSelect = select('worker_rule', [{ value: '', label: 'Alle krav' }, ...rates.rates.map((r) => ({ value: r.rule, label: r.name }))], ctx.route.query.worker_rule ?? '');
  const sortSelect = select(
    'worker_sort',
    [
      { value: 'name', label: 'Navn' },
      { value: 'overdue', label: 'Flest overskredne' },
      { value: 'rate', label: 'Lavest andel rettidigt' },
      { value: 'caseload', label: 'Flest sager pr. fuldtid' },
    ],
    ctx.route.query.worker_sort ?? 'name',
  );
  let showAll = false;
  const body = h('div', {});
  const render = () => {
    clear(body);
    const rule = ruleSelect.value;
    const all = sortWorkerRows(workerRows(rates, caseloads, rule), sortSelect.value as WorkerSort);
    const shown = showAll ? all : all.slice(0, WORKER_ROWS);
    const rows = shown.map((w) => {
      const who = w.name;
      return h(
        'tr',
        { class: w.level === 'above' ? 'row-above' : '' },
        h('th', { scope: 'row' }, w.worker ? link({ page: 'worklist', query: { worker: w.worker, as_of: rates.as_of } }, who, { title: `Se ${who}s sager` }) : who),
        h('td', {}, w.unit_name),
        h(
          'td',
          { class: 'num' },
          w.open_cases === undefined || !w.worker
            ? '–'
            : link({ page: 'worklist', query: { worker: w.worker, as_of: rates.as_of } }, formatNumber(w.open_cases), { 'aria-label': `${formatNumber(w.open_cases)} sager: se ${who}s sager` }),
        ),
        h('td', { class: 'num' }, w.fte === undefined ? '–' : formatNumber(w.fte)),
        h('td', { class: 'num' }, w.cases_per_full_time === undefined ? '–' : formatNumber(w.cases_per_full_time)),
        h('td', {}, w.level ? h('span', { class: `badge badge-level-${w.level}` }, `${LEVEL_TEXT[w.level]} ${bandText}`) : '–'),
        h('td', { class: 'num' }, figure(formatRate(w.counts, false), drill(rule || undefined, 'denominator', w.worker), `${who}, alle der måles på`)),
        h('td', { class: 'num' }, figure(formatCount(w.counts.overdue, false), drill(rule || undefined, 'overdue', w.worker), `${who}, overskredet`)),
        h('td', { class: 'num' }, figure(formatCount(w.counts.open, false), drill(rule || undefined, 'open', w.worker), `${who}, åbne`)),
        h('td', { class: 'num' }, figure(formatCount(w.counts.denominator, false), drill(rule || undefined, 'denominator', w.worker), `${who}, målt`)),
      );
    });
    body.append(
      h(
        'div',
        { class: 'table-wrap' },
        table(
          `Rådgivere: sagstal pr. fuldtidsstilling mod anbefalingen på ${bandText} sager, og rettidighed (${rule ? rates.rates.find((r) => r.rule === rule)?.name : 'alle regler'})${shown.length < all.length ? `, ${shown.length} af ${formatNumber(all.length)}` : ''}`,
          ['Rådgiver', 'Enhed', { text: 'Sagstal', class: 'num' }, { text: 'Normering', class: 'num' }, { text: 'Sager pr. fuldtid', class: 'num' }, `Niveau (${bandText})`, { text: 'Andel rettidigt', class: 'num' }, { text: 'Overskredet', class: 'num' }, { text: 'Åbne', class: 'num' }, { text: 'Målt', class: 'num' }],
          rows,
        ),
      ),
    );
    if (shown.length < all.length) {
      body.append(
        h(
          'button',
          {
            type: 'button',
            onclick: () => {
              showAll = true;
              render();
              ctx.announce(`Alle ${all.length} rådgivere vises.`);
            },
          },
          `Vis alle ${formatNumber(all.length)} rådgivere`,
        ),
      );
    }
  };
  for (const control of [ruleSelect, sortSelect]) {
    control.addEventListener('change', () => {
      ctx.replaceUrl(withQuery(ctx.route, { worker_rule: ruleSelect.value, worker_sort: sortSelect.value === 'name' ? '' : sortSelect.value }));
      render();
    });
  }
  render();
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'workers-heading' },
    h('h2', { id: 'workers-heading' }, 'Rådgivere'),
    caseloads ? h('p', {}, `${formatNumber(caseloads.open_cases ?? 0)} åbne sager i enheden, heraf ${formatNumber(caseloads.unassigned ?? 0)} uden rådgiver.`) : null,
    h('div', { class: 'filters' }, field('Krav', ruleSelect), field('Sortér efter', sortSelect)),
    body,
    h(
      'p',
      { class: 'exports' },
      exportLink(exportUrl('/api/rates', { unit: rates.unit, from: rates.from, to: rates.to, as_of: rates.as_of, by_worker: true }), 'rettidighed pr. rådgiver'),
      ' ',
      caseloads ? exportLink(exportUrl('/api/caseloads', { unit: rates.unit, as_of: rates.as_of }), 'sagstal') : null,
    ),
  );
}
