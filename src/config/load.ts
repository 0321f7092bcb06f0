import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { secretEnvName } from '../provenance/provenance-schema.js';
import { configSchema, type MoatConfig } from './schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

/** Secrets (and a few deployment settings) come from the environment so config files can be committed without them. */
function applyEnvOverrides(raw: Record<string, unknown>, env: Env): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...raw };
  if (env.MOAT_ADMIN_TOKEN) merged.admin = { ...(raw.admin as object | undefined), token: env.MOAT_ADMIN_TOKEN };
  if (env.MOAT_LOG_LEVEL) merged.log = { ...(raw.log as object | undefined), level: env.MOAT_LOG_LEVEL };
  if (env.MOAT_ALERT_SECRET) {
    const enforcement = (raw.enforcement ?? {}) as { alerts?: object };
    merged.enforcement = { ...enforcement, alerts: { ...enforcement.alerts, secret: env.MOAT_ALERT_SECRET } };
  }
  const nats = ['MOAT_NATS_URL', 'MOAT_NATS_TOKEN', 'MOAT_NATS_USER', 'MOAT_NATS_PASSWORD'].some((name) => env[name]);
  if (nats) {
    const events = (raw.events ?? {}) as { nats?: object };
    merged.events = {
      ...events,
      nats: {
        ...events.nats,
        ...(env.MOAT_NATS_URL && { servers: env.MOAT_NATS_URL.split(',') }),
        ...(env.MOAT_NATS_TOKEN && { token: env.MOAT_NATS_TOKEN }),
        ...(env.MOAT_NATS_USER && { user: env.MOAT_NATS_USER }),
        ...(env.MOAT_NATS_PASSWORD && { password: env.MOAT_NATS_PASSWORD }),
      },
    };
  }
  if (env.MOAT_OTLP_ENDPOINT) merged.telemetry = { ...(raw.telemetry as object | undefined), otlpEndpoint: env.MOAT_OTLP_ENDPOINT };
  const store: Record<string, unknown> = { ...(raw.store as object | undefined) };
  if (env.MOAT_STORE_PATH) store.path = env.MOAT_STORE_PATH;
  if (env.MOAT_STORE_DRIVER) store.driver = env.MOAT_STORE_DRIVER;
  if (env.MOAT_STORE_URL) store.url = env.MOAT_STORE_URL;
  if (env.MOAT_STORE_PASSWORD) store.password = env.MOAT_STORE_PASSWORD;
  if (Object.keys(store).length > 0) merged.store = store;
  if (Array.isArray(raw.upstreams)) {
    merged.upstreams = raw.upstreams.map((upstream: unknown) => {
      if (typeof upstream !== 'object' || upstream === null) return upstream;
      const name = String((upstream as { name?: unknown }).name ?? '');
      const key = env[`MOAT_UPSTREAM_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_API_KEY`];
      return key ? { ...upstream, apiKey: key } : upstream;
    });
  }
  const provenance = raw.provenance as { keys?: unknown } | undefined;
  if (provenance && Array.isArray(provenance.keys)) {
    const keys = provenance.keys.map((key: unknown) => {
      if (typeof key !== 'object' || key === null) return key;
      const secret = env[secretEnvName(String((key as { id?: unknown }).id ?? ''))];
      return secret ? { ...key, secret } : key;
    });
    merged.provenance = { ...provenance, keys };
  }
  return merged;
}

function semanticProblems(config: MoatConfig): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const upstream of config.upstreams) {
    if (names.has(upstream.name)) problems.push(`upstreams: name "${upstream.name}" is used twice`);
    names.add(upstream.name);
  }
  if (Object.keys(config.tiers).length === 0) problems.push('tiers: at least one tier is needed');
  if (config.store.driver === 'postgres' && !config.store.url) problems.push('store.url: the postgres driver needs a connection string (or MOAT_STORE_URL)');
  const keyIds = new Set<string>();
  for (const key of config.provenance.keys) {
    if (keyIds.has(key.id)) problems.push(`provenance.keys: id "${key.id}" is used twice`);
    keyIds.add(key.id);
  }
  return problems;
}

/** Parses, validates (listing every problem at once) and freezes the configuration. */
export function parseConfig(raw: unknown, env: Env = process.env): MoatConfig {
  const object = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const result = configSchema.safeParse(applyEnvOverrides(object, env));
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  const problems = semanticProblems(result.data);
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(result.data);
}

export function loadConfigFile(path: string | undefined, env: Env = process.env): MoatConfig {
  if (!path) return parseConfig({}, env);
  const text = readFileSync(path, 'utf8');
  const raw: unknown = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  return parseConfig(raw, env);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
