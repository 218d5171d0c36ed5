import { ApiError, fetchMe, postJson, setCsrfToken, type Me } from './api-client.js';
import { el } from './dom.js';

const ANONYMOUS: Me = { user: null, csrfToken: null, openReads: true, can: { read: true, change: false, manageAccounts: false } };

/**
 * The account corner of every page: who is signed in, a sign-in form, a sign-out button. It marks
 * the page with what the user may do (`body[data-can-change]`), hides links to what they may not,
 * and remembers the session's CSRF token for every change the page sends.
 */
export async function initAccount(container: HTMLElement, onChange: (me: Me) => void = () => undefined): Promise<Me> {
  let me = ANONYMOUS;
  try {
    me = await fetchMe();
  } catch (error) {
    console.error('Could not ask who is signed in:', error);
  }
  apply(me);
  render();
  return me;

  function apply(next: Me): void {
    me = next;
    setCsrfToken(me.csrfToken);
    document.body.dataset['role'] = me.user?.role ?? 'anonymous';
    document.body.toggleAttribute('data-can-change', me.can.change);
    for (const link of document.querySelectorAll<HTMLElement>('[data-needs="change"]')) link.hidden = !me.can.change;
  }

  function render(): void {
    if (me.user !== null) {
      const out = el('button', { type: 'button', class: 'link-button', 'data-testid': 'sign-out' }, 'Sign out');
      out.addEventListener('click', () => {
        void postJson('api/auth/logout', {})
          .catch(() => undefined)
          .then(async () => {
            apply(await fetchMe().catch(() => ANONYMOUS));
            render();
            onChange(me);
          });
      });
      container.replaceChildren(el('span', { class: 'who', 'data-testid': 'signed-in-as' }, `${me.user.name} (${me.user.role})`), out);
      return;
    }
    const name = el('input', { type: 'text', name: 'name', autocomplete: 'username', required: '', 'data-testid': 'sign-in-name', 'aria-label': 'User name' });
    const password = el('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: '', 'data-testid': 'sign-in-password', 'aria-label': 'Password' });
    const message = el('p', { class: 'sign-in-error', role: 'alert', 'data-testid': 'sign-in-error' });
    const form = el(
      'form',
      { class: 'sign-in', 'data-testid': 'sign-in-form' },
      el('label', {}, el('span', {}, 'User'), name),
      el('label', {}, el('span', {}, 'Password'), password),
      el('button', { type: 'submit', 'data-testid': 'sign-in-submit' }, 'Sign in'),
      message,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      message.textContent = '';
      void postJson<{ csrfToken: string }>('api/auth/login', { name: name.value, password: password.value })
        .then(async () => {
          apply(await fetchMe());
          render();
          onChange(me);
        })
        .catch((error: unknown) => {
          message.textContent = error instanceof ApiError ? error.message : `Could not sign in: ${String(error)}`;
          password.value = '';
          password.focus();
        });
    });
    const details = el('details', { class: 'sign-in-box' }, el('summary', { 'data-testid': 'sign-in-open' }, 'Sign in'), form);
    container.replaceChildren(details);
  }
}
