import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as oidc from 'openid-client';
import type { ConsoleConfig } from '../config/schema.js';
import { openSession } from './console-auth.js';
import { readCookie, type Role, type SessionStore } from './sessions.js';

export type OidcConfig = NonNullable<ConsoleConfig['oidc']>;

const FLOW_COOKIE = 'moat_oidc';
// Long enough to type a password and answer a second factor; a flow left longer starts again.
const FLOW_TTL_MS = 10 * 60_000;
const MAX_FLOWS = 10_000;
const RANK: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2 };

/** What the browser's sign-in started with, held here and found again by its cookie at the callback. */
interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  expiresAt: number;
}

/** The highest console role any of the claim's values maps to, or undefined when none does. */
export function roleFromClaims(claims: Record<string, unknown>, config: Pick<OidcConfig, 'roleClaim' | 'roleMapping'>): Role | undefined {
  const raw = claims[config.roleClaim];
  const values = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  let best: Role | undefined;
  for (const value of values) {
    const role = typeof value === 'string' ? config.roleMapping[value] : undefined;
    if (role && (!best || RANK[role] > RANK[best])) best = role;
  }
  return best;
}

// Plain HTTP only to a provider on this machine (a test's, a developer's Keycloak); never across a network.
const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

/**
 * Console sign-in through any OpenID Connect provider: the authorization code flow with PKCE,
 * a state bound to the browser by a cookie, and the ID token's nonce checked by openid-client.
 * The role comes from a claim (from the ID token, else from the userinfo endpoint).
 */
export class OidcSignIn {
  private discovered: Promise<oidc.Configuration> | undefined;
  private readonly flows = new Map<string, Flow>();

  constructor(
    private readonly config: OidcConfig,
    private readonly secret: string | undefined = process.env[config.clientSecretEnv],
    private readonly now: () => number = Date.now,
  ) {}

  /** Read at the first sign-in, not at start: a provider that is down must not keep the gateway from starting. */
  private provider(): Promise<oidc.Configuration> {
    this.discovered ??= (async () => {
      const issuer = new URL(this.config.issuer);
      const auth = this.secret ? oidc.ClientSecretBasic(this.secret) : oidc.None();
      return oidc.discovery(issuer, this.config.clientId, this.secret ? { client_secret: this.secret } : undefined, auth, isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined);
    })().catch((error: unknown) => {
      this.discovered = undefined;
      throw error;
    });
    return this.discovered;
  }

  /** The provider's authorization URL for a new flow, and the cookie that ties the flow to this browser. */
  async start(): Promise<{ url: URL; flowId: string }> {
    const configuration = await this.provider();
    this.sweep();
    const flow: Flow = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), expiresAt: this.now() + FLOW_TTL_MS };
    const flowId = randomBytes(24).toString('base64url');
    this.flows.set(flowId, flow);
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.config.redirectUrl,
      scope: this.config.scopes.join(' '),
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url, flowId };
  }

  /** Exchanges the callback's code; throws when state, nonce, PKCE or the token do not check out. */
  async finish(flowId: string | undefined, query: string): Promise<{ user: string; role: Role | undefined }> {
    const flow = flowId ? this.flows.get(flowId) : undefined;
    if (flowId) this.flows.delete(flowId);
    if (!flow || flow.expiresAt <= this.now()) throw new Error('this sign-in was not started here or has expired: start again');
    const configuration = await this.provider();
    const callback = new URL(this.config.redirectUrl);
    callback.search = query;
    const tokens = await oidc.authorizationCodeGrant(configuration, callback, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
    let claims: Record<string, unknown> = { ...tokens.claims() };
    const missing = claims[this.config.roleClaim] === undefined || claims[this.config.userClaim] === undefined;
    if (missing && configuration.serverMetadata().userinfo_endpoint) {
      // Many providers put scope claims (email, groups) in userinfo only, not in the ID token.
      claims = { ...(await oidc.fetchUserInfo(configuration, tokens.access_token, String(claims.sub))), ...claims };
    }
    const named = claims[this.config.userClaim];
    return { user: typeof named === 'string' && named !== '' ? named : String(claims.sub), role: roleFromClaims(claims, this.config) };
  }

  get roleClaimName(): string {
    return this.config.roleClaim;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, flow] of this.flows) if (flow.expiresAt <= now) this.flows.delete(id);
    // Unauthenticated callers start flows: beyond this many at once the oldest go.
    while (this.flows.size >= MAX_FLOWS) this.flows.delete(this.flows.keys().next().value!);
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function refusal(reply: FastifyReply, status: 401 | 403 | 502, message: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in refused · Moat console</title></head><body><h1>Sign-in refused</h1><p role="alert">${escapeHtml(message)}</p><p><a href="/console/">Back to the console</a></p></body></html>`);
}

/** `/console/api/oidc/login` and `/console/api/oidc/callback`. */
export function registerOidcRoutes(app: FastifyInstance, consoleConfig: ConsoleConfig, sessions: SessionStore, signIn: OidcSignIn): void {
  app.get('/console/api/oidc/login', async (_request, reply) => {
    let started: { url: URL; flowId: string };
    try {
      started = await signIn.start();
    } catch (error) {
      app.log.warn({ err: error }, 'OpenID Connect discovery failed');
      return refusal(reply, 502, 'The sign-in provider cannot be reached. Try again, or sign in with a console password.');
    }
    // Lax, not Strict: the provider's redirect back is a cross-site navigation, and it must carry this cookie.
    reply.header('set-cookie', `${FLOW_COOKIE}=${started.flowId}; Path=/console/api/oidc; HttpOnly;${consoleConfig.secureCookie ? ' Secure;' : ''} SameSite=Lax; Max-Age=${FLOW_TTL_MS / 1000}`);
    return reply.redirect(started.url.href);
  });

  app.get('/console/api/oidc/callback', async (request: FastifyRequest, reply) => {
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    reply.header('set-cookie', `${FLOW_COOKIE}=; Path=/console/api/oidc; HttpOnly;${consoleConfig.secureCookie ? ' Secure;' : ''} SameSite=Lax; Max-Age=0`);
    let result: { user: string; role: Role | undefined };
    try {
      result = await signIn.finish(readCookie(request.headers.cookie, FLOW_COOKIE), query);
    } catch (error) {
      // The provider's refusal (access_denied) or a failed check (state, nonce, PKCE, signature).
      app.log.warn({ err: error }, 'OpenID Connect sign-in failed');
      return refusal(reply, 401, `Sign-in did not complete: ${error instanceof Error ? error.message : 'unknown error'}`);
    }
    if (!result.role) return refusal(reply, 403, `${result.user} signed in, but no console role is mapped to their ${signIn.roleClaimName}.`);
    openSession(reply, sessions, consoleConfig, result.user, result.role, 'oidc');
    return reply.redirect('/console/');
  });
}
