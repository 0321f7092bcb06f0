import { html, render, type TemplateResult } from 'lit-html';
import type { Me } from '../../api-types.js';
import { api, ApiError } from './api.js';
import { accountPage } from './pages/account.js';
import { accountsPage } from './pages/accounts.js';
import { auditPage } from './pages/audit.js';
import { campaignPage } from './pages/campaign.js';
import { campaignsPage } from './pages/campaigns.js';
import { overviewPage } from './pages/overview.js';
import { policyPage } from './pages/policy.js';
import { signInView, type SignInOptions } from './sign-in.js';
import './style.css';

/** What a page hands back: its template, and work to do once it is in the DOM (charts, graphs). */
export interface PageView {
  view: TemplateResult;
  mounted?: () => void;
}

export interface PageContext {
  me: Me;
  params: string[];
  refresh: () => void;
}

type Page = (ctx: PageContext) => Promise<PageView>;

const ROUTES: [RegExp, Page, string][] = [
  [/^\/?$/, overviewPage, 'Overview'],
  [/^\/accounts$/, accountsPage, 'Accounts'],
  [/^\/accounts\/([^/]+)$/, accountPage, 'Account'],
  [/^\/campaigns$/, campaignsPage, 'Campaigns'],
  [/^\/campaigns\/([^/]+)$/, campaignPage, 'Campaign'],
  [/^\/audit$/, auditPage, 'Audit log'],
  [/^\/policy$/, policyPage, 'Policy'],
];

const root = document.getElementById('root')!;
let me: Me | undefined;

function shell(content: TemplateResult, user: Me): TemplateResult {
  const nav = [['#/', 'Overview'], ['#/accounts', 'Accounts'], ['#/campaigns', 'Campaigns'], ['#/audit', 'Audit log'], ['#/policy', 'Policy']];
  return html`<header>
      <a class="skip" href="#main">Skip to content</a>
      <strong>Moat console</strong>
      <nav aria-label="Main">${nav.map(([href, text]) => html`<a href=${href!}>${text}</a>`)}</nav>
      <span class="who">${user.user} (${user.role})</span>
      <button type="button" @click=${signOut}>Sign out</button>
    </header>
    <main id="main" tabindex="-1">${content}</main>`;
}

async function signOut(): Promise<void> {
  await api.del('session');
  me = undefined;
  void route();
}

async function route(): Promise<void> {
  if (!me) {
    me = (await api.get<Me | null>('me')) ?? undefined;
    if (!me) {
      const options = await api.get<SignInOptions>('sign-in');
      render(signInView((user) => ((me = user), void route()), options), root);
      return;
    }
  }
  const path = location.hash.replace(/^#/, '') || '/';
  const match = ROUTES.map(([pattern, page, title]) => ({ m: pattern.exec(path), page, title })).find((r) => r.m);
  if (!match) {
    render(shell(html`<h1>Not found</h1>`, me), root);
    return;
  }
  const user = me;
  try {
    const page = await match.page({ me: user, params: match.m!.slice(1).map(decodeURIComponent), refresh: () => void route() });
    document.title = `${match.title} · Moat console`;
    render(shell(page.view, user), root);
    page.mounted?.();
    // Navigation start to a drawn page, read by the browser tests and the benchmark figures.
    performance.mark('moat:page-ready', { detail: match.title });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      me = undefined;
      return route();
    }
    render(shell(html`<h1>Error</h1><p role="alert">${(error as Error).message}</p>`, user), root);
    return;
  }
}

window.addEventListener('hashchange', () => void route());
void route();
