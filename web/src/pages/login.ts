import { api, ApiError } from '../api';
import { field, h } from '../dom';
import type { Me } from '../types';

export function loginPage(main: HTMLElement): (done: (me: Me) => void) => Promise<void> {
  return async (done) => {
    const login = h('input', { name: 'login', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
    const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const message = h('div', { class: 'form-message' });
    const button = h('button', { type: 'submit', class: 'primary' }, 'Log ind');
    const form = h(
      'form',
      { class: 'login-form', novalidate: true },
      field('Brugernavn', login),
      field('Adgangskode', password),
      message,
      button,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      message.textContent = '';
      if (!login.value.trim() || !password.value) {
        message.append(h('p', { role: 'alert', class: 'error' }, 'Skriv dit brugernavn og din adgangskode.'));
        (login.value.trim() ? password : login).focus();
        return;
      }
      button.disabled = true;
      try {
        done(await api.login(login.value.trim(), password.value));
      } catch (error) {
        const text =
          error instanceof ApiError && error.status === 401
            ? 'Forkert brugernavn eller adgangskode.'
            : error instanceof ApiError && error.status === 429
              ? 'For mange forsøg. Vent et kvarter, og prøv igen.'
              : error instanceof Error
                ? error.message
                : String(error);
        message.append(h('p', { role: 'alert', class: 'error' }, text));
        password.value = '';
        password.focus();
      } finally {
        button.disabled = false;
      }
    });
    main.append(
      h(
        'section',
        { class: 'login' },
        h('h1', { tabindex: '-1' }, 'Log ind'),
        h('p', {}, 'Ledelsestilsyn og ledelsesinformation for myndighedsafdelingen for udsatte børn og unge.'),
        form,
      ),
    );
    login.focus();
  };
}
