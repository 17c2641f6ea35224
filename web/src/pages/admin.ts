// Administration: users and roles, and the audit log (role admin).
import { api, exportUrl } from '../api';
import { errorBox, link, type Ctx } from '../app';
import { clear, exportLink, field, h, select, table } from '../dom';
import { formatDateTime, ROLE_NAMES } from '../format';
import { lastPage, pageParam, withQuery } from '../state';
import type { Unit } from '../types';

const AUDIT_PAGE_SIZE = 50;
const ACTIONS: Record<string, string> = {
  read_case: 'Læste en sag',
  export: 'Hentede en fil',
  import_events: 'Indsendte hændelser',
  login: 'Loggede ind',
};

export async function adminPage(ctx: Ctx): Promise<void> {
  const { main } = ctx;
  document.title = 'Administration – tilsyn';
  main.append(h('h1', { tabindex: '-1' }, 'Administration'));
  const units = await ctx.units();
  if (!ctx.current()) return;
  const usersSection = h('section', { class: 'panel', 'aria-labelledby': 'users-heading' }, h('h2', { id: 'users-heading' }, 'Brugere og roller'));
  const auditSection = h('section', { class: 'panel', 'aria-labelledby': 'audit-heading' }, h('h2', { id: 'audit-heading' }, 'Revisionsspor'));
  main.append(usersSection, auditSection);
  await Promise.all([renderUsers(ctx, usersSection, units), renderAudit(ctx, auditSection)]);
}

async function renderUsers(ctx: Ctx, section: HTMLElement, units: Unit[]): Promise<void> {
  const body = h('div', {});
  section.append(body);
  const unitNames = new Map(units.map((u) => [u.id, u.name]));
  const status = h('div', { 'aria-live': 'polite' });

  const load = async () => {
    clear(body);
    let users;
    try {
      users = (await api.users()).users;
    } catch (error) {
      body.append(errorBox(error));
      return;
    }
    const rows = users.map((u) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, u.login),
        h('td', {}, u.name),
        h('td', {}, ROLE_NAMES[u.role] ?? u.role),
        h('td', {}, u.unit_name ?? unitNames.get(u.unit) ?? u.unit),
        h('td', {}, u.worker ?? '–'),
        h('td', {}, u.disabled ? 'Spærret' : 'Aktiv'),
        h(
          'td',
          {},
          u.disabled || u.login === ctx.me.login
            ? ''
            : h(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  'aria-label': `Spær ${u.login}`,
                  onclick: async () => {
                    if (!window.confirm(`Spær ${u.login}? Brugeren logges ud med det samme.`)) return;
                    try {
                      await api.disableUser(u.login);
                      ctx.announce(`${u.login} er spærret.`);
                      await load();
                    } catch (error) {
                      clear(status);
                      status.append(errorBox(error));
                    }
                  },
                },
                'Spær',
              ),
        ),
      ),
    );
    body.append(h('div', { class: 'table-wrap' }, table(`${users.length} brugere`, ['Brugernavn', 'Navn', 'Rolle', 'Enhed', 'Rådgiver-id', 'Status', 'Handling'], rows)));
  };

  const login = h('input', { name: 'login', required: true, autocomplete: 'off', autocapitalize: 'none' });
  const name = h('input', { name: 'name', required: true, autocomplete: 'off' });
  const role = select('role', Object.entries(ROLE_NAMES).map(([value, label]) => ({ value, label })), 'worker');
  const unit = select('unit', units.map((u) => ({ value: u.id, label: `${u.name} (${u.id})` })), units[0]?.id ?? '');
  const worker = h('input', { name: 'worker', autocomplete: 'off' });
  const password = h('input', { name: 'password', type: 'password', required: true, minlength: 12, autocomplete: 'new-password' });
  const form = h(
    'form',
    { class: 'filters add-user', 'aria-labelledby': 'add-user-heading' },
    h('h3', { id: 'add-user-heading' }, 'Opret bruger'),
    field('Brugernavn', login),
    field('Navn', name),
    field('Rolle', role),
    field('Enhed', unit),
    field('Rådgiver-id', worker, 'Kun for rådgivere: id fra sagssystemet'),
    field('Adgangskode', password, 'Mindst 12 tegn'),
    h('button', { type: 'submit', class: 'primary' }, 'Opret bruger'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(status);
    try {
      await api.addUser({ login: login.value.trim(), name: name.value.trim(), role: role.value, unit: unit.value, worker: worker.value.trim() || undefined, password: password.value });
      ctx.announce(`${login.value} er oprettet.`);
      status.append(h('p', { class: 'success' }, `Brugeren ${login.value} er oprettet.`));
      form.reset();
      await load();
    } catch (error) {
      status.append(errorBox(error));
    }
  });
  section.append(form, status);
  await load();
}

async function renderAudit(ctx: Ctx, section: HTMLElement): Promise<void> {
  const q = ctx.route.query;
  const page = pageParam(q, 'audit_page');
  const query = { user: q.audit_user, action: q.audit_action, object: q.audit_object, from: q.audit_from, to: q.audit_to };
  const user = h('input', { name: 'audit_user', value: q.audit_user ?? '', autocomplete: 'off' });
  const action = select('audit_action', [{ value: '', label: 'Alle' }, ...Object.entries(ACTIONS).map(([value, label]) => ({ value, label }))], q.audit_action ?? '');
  const object = h('input', { name: 'audit_object', value: q.audit_object ?? '', autocomplete: 'off' });
  const from = h('input', { name: 'audit_from', type: 'date', value: q.audit_from ?? '' });
  const to = h('input', { name: 'audit_to', type: 'date', value: q.audit_to ?? '' });
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Søg i revisionssporet' },
    field('Bruger', user),
    field('Handling', action),
    field('Hvad', object, 'F.eks. child:B001'),
    field('Fra', from),
    field('Til', to),
    h('button', { type: 'submit', class: 'primary' }, 'Søg'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.navigate(withQuery(ctx.route, { audit_user: user.value.trim(), audit_action: action.value, audit_object: object.value.trim(), audit_from: from.value, audit_to: to.value, audit_page: '' }));
  });
  section.append(h('p', {}, 'Hver læsning af en sag, hver hentet fil og hver ændring, nyeste først. Sporet er kædet med hashværdier, så en rettet eller slettet række kan findes (tilsyn audit verify).'), form);
  const result = await api.audit({ ...query, page, page_size: AUDIT_PAGE_SIZE });
  const pages = lastPage(result.total, AUDIT_PAGE_SIZE);
  const rows = result.entries.map((e) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, String(e.seq)),
      h('td', { class: 'nowrap' }, formatDateTime(e.at)),
      h('td', {}, e.user),
      h('td', {}, e.client),
      h('td', {}, ACTIONS[e.action] ?? e.action),
      h('td', { class: 'break' }, e.object),
      h('td', {}, e.detail),
    ),
  );
  section.append(
    h('p', {}, exportLink(exportUrl('/api/audit', query), 'revisionssporet')),
    h('div', { class: 'table-wrap' }, table(`Revisionsspor: ${result.total} rækker, side ${Math.min(page, pages)} af ${pages}`, ['Nr.', 'Tidspunkt', 'Bruger', 'Klientadresse', 'Handling', 'Hvad', 'Detaljer'], rows)),
    pages > 1
      ? h(
          'nav',
          { class: 'pager', 'aria-label': 'Sider i revisionssporet' },
          page > 1 ? link(withQuery(ctx.route, { audit_page: page - 1 === 1 ? '' : page - 1 }), '← Nyere') : null,
          h('span', {}, `Side ${page} af ${pages}`),
          page < pages ? link(withQuery(ctx.route, { audit_page: page + 1 }), 'Ældre →') : null,
        )
      : '',
  );
}
