// The application shell: header and navigation by role, the router (History API), and what the
// pages share (the signed-in user, cached rules and units, a live region for announcements).
import { api, ApiError, setUnauthenticatedHandler } from './api';
import { clear, h } from './dom';
import { ROLE_NAMES } from './format';
import { homeFor, parseRoute, routeUrl, type PageName, type Route } from './state';
import type { Me, RuleInfo, Unit } from './types';

export interface Ctx {
  me: Me;
  route: Route;
  main: HTMLElement;
  /** Go to a route; `replace` changes the current history entry instead of adding one. */
  navigate(route: Route, options?: { replace?: boolean }): void;
  /** Change the URL to the route without rendering again (state kept by the page itself). */
  replaceUrl(route: Route): void;
  rules(): Promise<Map<string, RuleInfo>>;
  units(): Promise<Unit[]>;
  announce(text: string): void;
  /** False once the user has gone on to another page (a late answer must not render). */
  current(): boolean;
}

export type Page = (ctx: Ctx) => Promise<void>;

const NAV: { page: PageName; label: string; roles: string[] }[] = [
  { page: 'worklist', label: 'Mine sager', roles: ['worker', 'leader', 'head', 'reviewer'] },
  { page: 'overview', label: 'Overblik', roles: ['worker', 'leader', 'head', 'reviewer', 'committee', 'admin'] },
  { page: 'admin', label: 'Administration', roles: ['admin'] },
];

export function startApp(pages: Record<PageName, Page>, loginPage: (done: (me: Me) => void) => Promise<void>): void {
  const root = document.getElementById('app')!;
  let me: Me | null = null;
  let generation = 0;
  let firstPage = true;
  let rulesCache: Promise<Map<string, RuleInfo>> | null = null;
  let unitsCache: Promise<Unit[]> | null = null;

  const live = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const nav = h('nav', { 'aria-label': 'Hovedmenu' });
  const userBox = h('div', { class: 'user' });
  const main = h('main', { id: 'main', tabindex: '-1', 'aria-busy': 'true' });
  const header = h(
    'header',
    { class: 'site-header' },
    h('a', { href: '#main', class: 'skip-link' }, 'Gå til indhold'),
    h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '§'), 'tilsyn'),
    nav,
    userBox,
  );
  root.append(header, main, live);

  const announce = (text: string) => {
    live.textContent = '';
    window.setTimeout(() => (live.textContent = text), 50);
  };

  function renderChrome(route: Route): void {
    clear(nav);
    clear(userBox);
    if (!me) return;
    const list = h('ul', {});
    for (const item of NAV) {
      if (!item.roles.includes(me.role)) continue;
      if (item.page === 'worklist' && me.role !== 'worker' && !me.worker) continue;
      const active = route.page === item.page || (item.page === 'overview' && route.page === 'drilldown');
      list.appendChild(
        h('li', {}, h('a', { href: routeUrl({ page: item.page, query: {} }), 'aria-current': active ? 'page' : null }, item.label)),
      );
    }
    nav.appendChild(list);
    userBox.append(
      h('span', {}, `${me.name} · ${ROLE_NAMES[me.role] ?? me.role}${me.unit_name ? ` · ${me.unit_name}` : ''}`),
      h(
        'button',
        {
          type: 'button',
          class: 'link-button',
          onclick: async () => {
            try {
              await api.logout();
            } finally {
              me = null;
              rulesCache = null;
              unitsCache = null;
              navigate({ page: 'login', query: {} });
            }
          },
        },
        'Log ud',
      ),
    );
  }

  // The page the latest render shows: a move within it (the skip link's #main) is no new page.
  let shownPage = '';
  // The address of the page shown changes (its state is in the URL) without a new page.
  const replaceUrl = (url: string) => {
    history.replaceState(null, '', url);
    shownPage = location.pathname + location.search;
  };

  async function render(): Promise<void> {
    const token = ++generation;
    shownPage = location.pathname + location.search;
    main.setAttribute('aria-busy', 'true');
    let route = parseRoute(location.pathname, location.search);
    if (!me && route.page !== 'login') {
      try {
        me = await api.me();
      } catch {
        me = null;
      }
      if (token !== generation) return;
    }
    if (!me) {
      renderChrome(route);
      clear(main);
      document.title = 'Log ind – tilsyn';
      main.removeAttribute('aria-busy');
      firstPage = false;
      await loginPage((signedIn) => {
        me = signedIn;
        const next = parseRoute(location.pathname, location.search);
        navigate(next.page === 'login' ? { page: homeFor(signedIn.role), query: {} } : next, { replace: true });
      });
      return;
    }
    if (route.page === 'login') {
      route = { page: homeFor(me.role), query: {} };
      replaceUrl(routeUrl(route));
    }
    if (route.page === 'worklist' && me.role !== 'worker' && !me.worker && !route.query.worker) {
      route = { page: homeFor(me.role), query: {} };
      replaceUrl(routeUrl(route));
    }
    renderChrome(route);
    clear(main);
    main.setAttribute('aria-busy', 'true');
    const ctx: Ctx = {
      me,
      route,
      main,
      navigate,
      replaceUrl: (r) => replaceUrl(routeUrl(r)),
      // Kept for the session; a failed fetch is not kept, so the next page asks again.
      rules: () =>
        (rulesCache ??= api.rules().then(
          (r) => new Map(r.rules.map((rule) => [rule.id, rule])),
          (error: unknown) => {
            rulesCache = null;
            throw error;
          },
        )),
      units: () =>
        (unitsCache ??= api.units().then(
          (u) => u.units,
          (error: unknown) => {
            unitsCache = null;
            throw error;
          },
        )),
      announce,
      current: () => token === generation,
    };
    try {
      await pages[route.page](ctx);
    } catch (error) {
      if (token !== generation) return;
      if (error instanceof ApiError && error.status === 401) return;
      clear(main);
      document.title = 'Fejl – tilsyn';
      main.append(
        h('h1', { tabindex: '-1' }, 'Der skete en fejl'),
        h('p', { role: 'alert', class: 'error' }, error instanceof Error ? error.message : String(error)),
      );
    }
    if (token !== generation) return;
    main.removeAttribute('aria-busy');
    // A page loaded afresh starts at the top, as any page does (the skip link first); a page
    // reached inside the app moves focus to its heading, so a screen reader announces it.
    if (!firstPage) main.querySelector<HTMLElement>('h1')?.focus();
    firstPage = false;
  }

  function navigate(route: Route, options: { replace?: boolean } = {}): void {
    const url = routeUrl(route);
    if (options.replace) replaceUrl(url);
    else history.pushState(null, '', url);
    void render();
  }

  // A session that ends while in use (expired, or logged out elsewhere): back to Log ind.
  setUnauthenticatedHandler(() => {
    if (!me) return;
    me = null;
    void render();
  });

  // Links inside the app are routed here; exports, the API and other sites are left to the browser.
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const a = (event.target as Element | null)?.closest?.('a');
    if (!a || a.hasAttribute('download') || a.target) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/calendar/')) return;
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
    event.preventDefault();
    navigate(parseRoute(url.pathname, url.search));
  });
  // Going back or forward renders the page gone to; following a link to a place on the same page
  // (which Chromium also reports as popstate) moves focus there and nothing more.
  window.addEventListener('popstate', () => {
    if (location.pathname + location.search === shownPage) return;
    void render();
  });
  void render();
}

/** A link to a route inside the app. */
export function link(route: Route, text: string | Node, attrs: Record<string, string> = {}): HTMLAnchorElement {
  return h('a', { href: routeUrl(route), ...attrs }, text);
}

/** A loading note that screen readers hear. */
export function loading(text = 'Henter …'): HTMLElement {
  return h('p', { class: 'loading' }, text);
}

export function errorBox(error: unknown): HTMLElement {
  return h('p', { role: 'alert', class: 'error' }, error instanceof Error ? error.message : String(error));
}
