import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { accountInputSchema } from '../auth/account-input.js';
import { consoleUserAddBody, consoleUserRoleBody } from '../auth/console-user-input.js';
import { policySchema } from '../enforce/policy-schema.js';
import { ERROR_CATALOGUE } from '../errors/catalogue.js';
import { adminGuard, keyBody, rotateBody } from './admin-routes.js';
import { listQuery } from './detection-routes.js';
import { actorBody, auditQuery, policyBody } from './enforcement-routes.js';
import { changeBody } from './limits-routes.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One admin route as documented; `path` is written as Fastify registers it (`:id`). */
export interface AdminOperation {
  method: Method;
  path: string;
  tag: 'accounts' | 'keys' | 'detection' | 'limits' | 'enforcement' | 'audit' | 'console' | 'operations';
  summary: string;
  description?: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success status and what it carries. */
  ok: { status: number; description: string; schema?: JsonSchema; text?: true };
  /** Statuses beyond those every admin route can answer (401, 429, 503). */
  errors?: number[];
}

type JsonSchema = Record<string, unknown>;

const list = (description: string): AdminOperation['ok'] => ({ status: 200, description, schema: { type: 'object', required: ['object', 'data'], properties: { object: { const: 'list' }, data: { type: 'array', items: { type: 'object' } } } } });
const object = (status: number, description: string, schema: JsonSchema = { type: 'object' }): AdminOperation['ok'] => ({ status, description, schema });
const jsonSchema = (schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};
const account = () => jsonSchema(accountInputSchema, 'output');
const FEATURE_OFF = 'Answered 404 when the feature is off in this gateway.';

/**
 * Every route of the admin API. The document served at /admin/openapi.json is built from
 * this list, and a test holds it to the routes the gateway really registers, both ways.
 */
export const ADMIN_OPERATIONS: readonly AdminOperation[] = [
  { method: 'GET', path: '/admin/accounts', tag: 'accounts', summary: 'List accounts', ok: list('Every account') },
  { method: 'POST', path: '/admin/accounts', tag: 'accounts', summary: 'Create or update an account', body: accountInputSchema, ok: object(201, 'The account as stored', account()), errors: [400] },
  { method: 'GET', path: '/admin/accounts/:id', tag: 'accounts', summary: 'Show an account with its keys', ok: object(200, 'The account and `keys` (never secrets or hashes)'), errors: [404] },
  { method: 'GET', path: '/admin/accounts/:id/keys', tag: 'keys', summary: "List an account's keys", ok: list('Its keys: id, name, prefix, status, dates'), errors: [404] },
  { method: 'POST', path: '/admin/accounts/:id/keys', tag: 'keys', summary: 'Issue a key', description: 'The secret is in this answer only; Moat keeps its hash.', body: keyBody, ok: object(201, '`key` and its `secret`'), errors: [400, 404] },
  { method: 'POST', path: '/admin/keys/:id/revoke', tag: 'keys', summary: 'Revoke a key at once', ok: object(200, 'The revoked key'), errors: [404] },
  { method: 'POST', path: '/admin/keys/:id/rotate', tag: 'keys', summary: 'Rotate a key', description: 'The old key keeps working for `grace_seconds` (default: keys.rotationGraceSeconds).', body: rotateBody, ok: object(200, '`previous` key and the `next` one with its secret'), errors: [400, 404] },
  { method: 'GET', path: '/admin/detection/accounts', tag: 'detection', summary: "Detection's assessment of every account seen", description: FEATURE_OFF, query: listQuery, ok: list('Assessments, highest score first'), errors: [400, 404] },
  { method: 'GET', path: '/admin/detection/accounts/:id', tag: 'detection', summary: "One account's assessment: level, score, reasons, campaign", description: FEATURE_OFF, ok: object(200, 'The assessment'), errors: [404] },
  { method: 'GET', path: '/admin/detection/campaigns', tag: 'detection', summary: 'Campaigns of linked accounts', description: FEATURE_OFF, ok: list('Campaigns with members and evidence') },
  { method: 'GET', path: '/admin/limits/status', tag: 'limits', summary: "The limiter backend and its health", description: FEATURE_OFF, ok: object(200, 'Backend, health counters') },
  { method: 'GET', path: '/admin/limits/accounts/:id', tag: 'limits', summary: "An account's limits and usage against them", description: FEATURE_OFF, ok: object(200, 'Limits per scope and model, with current usage'), errors: [404] },
  { method: 'PATCH', path: '/admin/limits/accounts/:id', tag: 'limits', summary: "Override an account's limits", description: `A number sets a limit, null lifts it, names left out keep their value; \`clear\` drops the override. ${FEATURE_OFF}`, body: changeBody, ok: object(200, 'The override as stored'), errors: [400, 404] },
  { method: 'PATCH', path: '/admin/limits/keys/:id', tag: 'limits', summary: "Override one key's limits", description: FEATURE_OFF, body: changeBody, ok: object(200, 'The override as stored'), errors: [400, 404] },
  { method: 'GET', path: '/admin/enforcement/accounts/:id', tag: 'enforcement', summary: "An account's enforcement state", description: FEATURE_OFF, ok: object(200, 'Its decision: actions in force and why'), errors: [404] },
  { method: 'POST', path: '/admin/enforcement/accounts/:id/suspend', tag: 'enforcement', summary: 'Suspend an account', description: 'Written to the audit log with the actor and reason.', body: actorBody, ok: object(200, 'The new decision'), errors: [400, 404] },
  { method: 'POST', path: '/admin/enforcement/accounts/:id/reinstate', tag: 'enforcement', summary: 'Reinstate an account', body: actorBody, ok: object(200, 'The new decision'), errors: [400, 404] },
  { method: 'POST', path: '/admin/enforcement/accounts/:id/allowlist', tag: 'enforcement', summary: 'Exempt an account from automatic actions', body: actorBody, ok: object(200, 'The new decision'), errors: [400, 404] },
  { method: 'POST', path: '/admin/enforcement/campaigns/:id/suspend', tag: 'enforcement', summary: "Suspend every member of a detection campaign", body: actorBody, ok: list("Each member's new decision"), errors: [400, 404] },
  { method: 'GET', path: '/admin/enforcement/policy', tag: 'enforcement', summary: 'The policy in force', ok: object(200, 'The policy', jsonSchema(policySchema, 'output')), errors: [404] },
  { method: 'PUT', path: '/admin/enforcement/policy', tag: 'enforcement', summary: 'Replace the policy', description: 'Validated whole, applied by every replica, written to the audit log. See docs/policies.md.', body: policyBody.extend({ policy: policySchema }), ok: object(200, 'The policy as applied', jsonSchema(policySchema, 'output')), errors: [400, 404] },
  { method: 'GET', path: '/admin/audit', tag: 'audit', summary: 'Audit log entries, newest first', query: auditQuery, ok: list('Entries'), errors: [400] },
  { method: 'GET', path: '/admin/audit/verify', tag: 'audit', summary: "Check the audit log's hash chain", ok: object(200, 'Whether the chain holds, and where it breaks') },
  { method: 'GET', path: '/admin/console-users', tag: 'console', summary: 'List console users', description: 'Those in the config file (`source: config`, changed only there) and those managed here (`source: store`); never a password hash.', ok: list('Users: name, role, source, dates') },
  { method: 'POST', path: '/admin/console-users', tag: 'console', summary: 'Add a console user', description: 'The password has 8 or more characters and the role is viewer, analyst or admin (checked by the console directory: 400).', body: consoleUserAddBody, ok: object(201, 'The user, without its hash'), errors: [400, 409] },
  { method: 'PATCH', path: '/admin/console-users/:name', tag: 'console', summary: "Change a console user's role", body: consoleUserRoleBody, ok: object(200, 'The user'), errors: [400, 404, 409] },
  { method: 'DELETE', path: '/admin/console-users/:name', tag: 'console', summary: 'Remove a console user', ok: object(200, '`{name, deleted: true}`'), errors: [404] },
  { method: 'GET', path: '/metrics', tag: 'operations', summary: 'Prometheus metrics', ok: { status: 200, description: 'Prometheus text exposition', text: true } },
  { method: 'GET', path: '/admin/openapi.json', tag: 'operations', summary: 'This document', ok: object(200, 'OpenAPI 3.1') },
];

const REASONS: Record<number, string> = {
  400: 'Invalid input; `param` names the field',
  409: 'It exists already',
  401: 'No or wrong admin token',
  404: 'No such object, or the feature is off in this gateway',
  429: 'Too many failed admin tokens from this address',
  503: 'The admin API is off (no admin token configured)',
};

/** The admin API as an OpenAPI 3.1 document. */
export function adminOpenApi(operations: readonly AdminOperation[] = ADMIN_OPERATIONS): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const path = operation.path.replace(/:(\w+)/g, '{$1}');
    const pathParameters = [...operation.path.matchAll(/:(\w+)/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: { type: 'string', minLength: 1 } }));
    const query = operation.query ? jsonSchema(operation.query) : undefined;
    const queryParameters = Object.entries((query?.properties ?? {}) as Record<string, JsonSchema>).map(([name, schema]) => ({ name, in: 'query', required: false, schema }));
    const statuses = [...new Set([...(operation.errors ?? []), 401, 429, 503])].sort();
    (paths[path] ??= {})[operation.method.toLowerCase()] = {
      operationId: operationId(operation),
      tags: [operation.tag],
      summary: operation.summary,
      ...(operation.description && { description: operation.description }),
      ...(pathParameters.length + queryParameters.length > 0 && { parameters: [...pathParameters, ...queryParameters] }),
      ...(operation.body && { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(operation.body) } } } }),
      responses: {
        [operation.ok.status]: {
          description: operation.ok.description,
          content: operation.ok.text ? { 'text/plain': { schema: { type: 'string' } } } : { 'application/json': { schema: operation.ok.schema ?? { type: 'object' } } },
        },
        ...Object.fromEntries(statuses.map((status) => [status, { $ref: `#/components/responses/E${status}` }])),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Moat admin API',
      version: '1',
      description: 'Accounts, keys, limits, detection, enforcement and audit of a Moat gateway. Every route needs the admin token (`Authorization: Bearer $MOAT_ADMIN_TOKEN`). Errors have the OpenAI shape.',
    },
    security: [{ adminToken: [] }],
    tags: [...new Set(operations.map((operation) => operation.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'The gateway\'s admin token (admin.token, usually MOAT_ADMIN_TOKEN)' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['message', 'type', 'param', 'code'],
              properties: { message: { type: 'string' }, type: { type: 'string' }, param: { type: ['string', 'null'] }, code: { enum: [...Object.keys(ERROR_CATALOGUE), null] } },
            },
          },
        },
      },
      responses: Object.fromEntries(Object.entries(REASONS).map(([status, description]) => [`E${status}`, { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }])),
    },
  };
}

/** `POST /admin/keys/:id/rotate` -> `postKeysIdRotate`. */
function operationId(operation: AdminOperation): string {
  const words = operation.path.replace(/^\/admin/, '').split(/[/.:_-]+/).filter(Boolean);
  return operation.method.toLowerCase() + words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
}

/** Behind the admin token like the API it describes: a caller without it learns nothing of what this gateway exposes. */
export function registerOpenApiRoute(app: FastifyInstance, adminToken: string | undefined): void {
  const document = JSON.stringify(adminOpenApi());
  app.register(async (admin) => {
    admin.addHook('onRequest', adminGuard(adminToken));
    admin.get('/admin/openapi.json', async (_request, reply) => reply.type('application/json').send(document));
  });
}
