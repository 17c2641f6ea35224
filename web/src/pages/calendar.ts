// Kalender-abonnement: a secret-token iCalendar feed of the caseworker's open deadlines, for
// Outlook. The address is shown once, when it is made; making a new one replaces the old.
import { api, ApiError } from '../api';
import type { Ctx } from '../app';
import { clear, h } from '../dom';
import { formatDateTime } from '../format';

export async function calendarPanel(ctx: Ctx): Promise<HTMLElement> {
  const body = h('div', {});
  const panel = h(
    'section',
    { class: 'panel calendar', 'aria-labelledby': 'calendar-heading' },
    h('h2', { id: 'calendar-heading' }, 'Kalender-abonnement'),
    h('p', {}, 'Få dine frister ind i Outlook: abonnér på en kalender med alle dine åbne frister. Adressen er hemmelig og vises kun én gang; du kan lave en ny eller tilbagekalde den.'),
    body,
  );

  async function show(newUrl?: string): Promise<void> {
    let state: { exists: boolean; created?: string | null };
    try {
      state = await api.calendar();
    } catch (error) {
      clear(body);
      body.append(h('p', { class: 'error', role: 'alert' }, error instanceof ApiError ? error.message : String(error)));
      return;
    }
    clear(body);
    const status = h('p', { 'aria-live': 'polite' });
    if (newUrl) {
      const input = h('input', { id: 'calendar-url', type: 'text', readonly: true, value: newUrl, class: 'wide' });
      const copy = h('button', { type: 'button' }, 'Kopiér adressen');
      copy.addEventListener('click', async () => {
        input.select();
        try {
          await navigator.clipboard.writeText(newUrl);
          status.textContent = 'Adressen er kopieret.';
        } catch {
          status.textContent = 'Kopiér adressen med Ctrl+C (den er markeret).';
        }
      });
      body.append(
        h('div', { class: 'field' }, h('label', { for: 'calendar-url' }, 'Din kalenderadresse (vises kun nu)'), input),
        copy,
        h('p', { class: 'hint' }, 'I Outlook: Tilføj kalender → Abonnér fra internettet, og indsæt adressen.'),
      );
    } else if (state.exists) {
      body.append(h('p', {}, `Du har et aktivt abonnement${state.created ? `, lavet ${formatDateTime(state.created)}` : ''}.`));
    } else {
      body.append(h('p', {}, 'Du har intet aktivt abonnement.'));
    }
    const make = h('button', { type: 'button', class: 'primary' }, state.exists ? 'Lav en ny adresse (den gamle holder op med at virke)' : 'Lav kalenderadresse');
    make.addEventListener('click', async () => {
      make.disabled = true;
      try {
        const created = await api.createCalendar();
        // The address as this browser reaches the server (behind a proxy, the server's own idea
        // of its address may be an inner one).
        await show(new URL(created.path, location.origin).href);
        body.querySelector<HTMLInputElement>('#calendar-url')?.focus();
        ctx.announce('Kalenderadressen er lavet.');
      } catch (error) {
        status.textContent = error instanceof Error ? error.message : String(error);
        make.disabled = false;
      }
    });
    const actions = h('div', { class: 'actions' }, make);
    if (state.exists) {
      const revoke = h('button', { type: 'button', class: 'danger' }, 'Tilbagekald abonnementet');
      revoke.addEventListener('click', async () => {
        revoke.disabled = true;
        try {
          await api.revokeCalendar();
          await show();
          ctx.announce('Abonnementet er tilbagekaldt. Adressen virker ikke længere.');
        } catch (error) {
          status.textContent = error instanceof Error ? error.message : String(error);
          revoke.disabled = false;
        }
      });
      actions.append(revoke);
    }
    body.append(actions, status);
  }

  await show();
  return panel;
}
