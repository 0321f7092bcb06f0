import { html, type TemplateResult } from 'lit-html';
import type { Me } from '../../api-types.js';
import { api } from './api.js';

export interface SignInOptions {
  oidc: { label: string; url: string } | null;
}

export function signInView(onSignedIn: (me: Me) => void, options: SignInOptions): TemplateResult {
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const status = form.querySelector<HTMLElement>('[role=alert]')!;
    try {
      onSignedIn(await api.post<Me>('session', { user: data.get('user'), password: data.get('password') }));
    } catch (error) {
      status.textContent = (error as Error).message;
    }
  };
  return html`<main class="sign-in">
    <h1>Moat console</h1>
    <form @submit=${submit} aria-label="Sign in">
      <label for="user">User name</label>
      <input id="user" name="user" autocomplete="username" required autofocus />
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required />
      <button type="submit">Sign in</button>
      <p role="alert" class="error"></p>
    </form>
    ${options.oidc ? html`<p class="or">or</p><a class="sso" href=${options.oidc.url}>${options.oidc.label}</a>` : ''}
  </main>`;
}
