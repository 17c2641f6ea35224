// A small helper for building DOM trees without HTML strings (so nothing is injected, and no
// inline style the CSP would block).

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'class') {
      el.className = String(value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

let idCounter = 0;
/** A unique id for label/for and aria-describedby pairs. */
export function uid(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A labelled form field: <label>, an optional hint, then the control, in one wrapper. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || uid('f');
  control.id = id;
  const wrapper = h('div', { class: 'field' }, h('label', { for: id }, label));
  // The hint between label and control: read with the label, and the controls of a row line up.
  if (hint) {
    const hintId = uid('hint');
    control.setAttribute('aria-describedby', hintId);
    wrapper.appendChild(h('span', { class: 'hint', id: hintId }, hint));
  }
  wrapper.appendChild(control);
  return wrapper;
}

export function select(name: string, options: { value: string; label: string }[], value: string): HTMLSelectElement {
  const el = h('select', { name });
  for (const o of options) {
    const option = h('option', { value: o.value }, o.label);
    if (o.value === value) option.selected = true;
    el.appendChild(option);
  }
  return el;
}

/** A table with a caption, column headers (scope=col), and rows built by the caller. */
export function table(caption: string, headers: (string | { text: string; class?: string })[], rows: HTMLTableRowElement[], captionClass?: string): HTMLTableElement {
  return h(
    'table',
    {},
    h('caption', { class: captionClass }, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((c) => (typeof c === 'string' ? h('th', { scope: 'col' }, c) : h('th', { scope: 'col', class: c.class }, c.text))),
      ),
    ),
    h('tbody', {}, rows),
  );
}

/** An export link (XLSX of the same request). */
export function exportLink(href: string, what: string): HTMLAnchorElement {
  return h('a', { href, class: 'export', download: '', 'data-export': 'xlsx' }, `Hent ${what} som Excel (XLSX)`);
}
