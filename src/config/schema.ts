import { z } from 'zod';
import { enforcementSchema } from '../enforce/policy-schema.js';
import { limitsSchema } from '../limits/limits-schema.js';
import { provenanceSchema } from '../provenance/provenance-schema.js';

const upstreamSchema = z.object({
  /** How logs, metrics and `owned_by` in /v1/models name this upstream; unique. */
  name: z.string().min(1),
  /** Its OpenAI-compatible base, with the version (`https://api.openai.com/v1`). */
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** Sent upstream as `Authorization: Bearer`; usually set through MOAT_UPSTREAM_<NAME>_API_KEY. */
  apiKey: z.string().optional(),
  /** Model names routed here; a trailing `*` matches a prefix. */
  models: z.array(z.string().min(1)).min(1),
  /** Connections for non-streamed requests; streams have their own, so they cannot starve short calls. */
  connections: z.number().int().positive().default(32),
  /** Connections for streamed requests. */
  streamConnections: z.number().int().positive().default(96),
  /** Longest wait for the answer's headers, and between two chunks of its body. */
  timeoutMs: z.number().int().positive().default(120_000),
  /** Longest wait to open a connection to it. */
  connectTimeoutMs: z.number().int().positive().default(10_000),
});

const tierSchema = z.object({
  /** Models this tier may use; `*` and prefix patterns as in upstream models. */
  models: z.array(z.string()).default(['*']),
  /** Free text shown to operators (the contract or plan this tier stands for). */
  terms: z.string().optional(),
});

export const configSchema = z.object({
  server: z
    .object({
      /** Address to listen on; `0.0.0.0` to accept connections from other machines. */
      host: z.string().default('127.0.0.1'),
      /** TCP port; 0 picks a free one (printed at start). */
      port: z.number().int().min(0).max(65535).default(8080),
      /** Larger request bodies are answered 413 before they are read whole. */
      bodyLimitBytes: z.number().int().positive().default(4 * 1024 * 1024),
      /**
       * Addresses of load balancers whose X-Forwarded-For is believed (fastify's trustProxy:
       * true, a hop count, or a list of addresses/CIDRs). Off by default so a client cannot
       * choose the IP it is recorded under.
       */
      trustProxy: z.union([z.boolean(), z.number().int(), z.array(z.string())]).default(false),
      /** The whole request (headers and body) must arrive within this, or it is answered 408. */
      requestTimeoutMs: z.number().int().positive().default(30_000),
      /** The request's headers must arrive within this (capped at requestTimeoutMs). */
      headersTimeoutMs: z.number().int().positive().default(15_000),
      /** An idle keep-alive connection is closed after this. */
      keepAliveTimeoutMs: z.number().int().positive().default(5_000),
      /** A connection with no bytes either way for this long is closed (longer than upstream timeouts). */
      idleTimeoutMs: z.number().int().positive().default(300_000),
      /** Open connections beyond this are refused at accept. */
      maxConnections: z.number().int().positive().default(4_096),
      /**
       * Failed authentications (unknown API keys, wrong admin tokens, wrong console passwords)
       * allowed per source address and surface in a window; past it, 429 without checking.
       */
      authFailures: z
        .object({ limit: z.number().int().positive().default(20), windowSeconds: z.number().int().positive().default(60) })
        .prefault({}),
    })
    .prefault({}),
  admin: z
    .object({
      /** Required for the admin API; usually set through MOAT_ADMIN_TOKEN. */
      token: z.string().min(16).optional(),
    })
    .prefault({}),
  upstreams: z.array(upstreamSchema).default([]),
  tiers: z.record(z.string(), tierSchema).default({ default: { models: ['*'] } }),
  store: z
    .object({
      /** sqlite: one file, zero setup, one host. postgres: shared by every replica. */
      driver: z.enum(['sqlite', 'postgres']).default('sqlite'),
      /** sqlite: the database file. */
      path: z.string().default('moat.db'),
      /** postgres: a connection string (`postgres://user@host:5432/db`); usually set through MOAT_STORE_URL. */
      url: z.string().optional(),
      /** postgres: the password, kept out of the URL and the config file; usually set through MOAT_STORE_PASSWORD. */
      password: z.string().optional(),
      /** postgres: connections in the pool (the change listener has one more of its own). */
      poolSize: z.number().int().positive().default(10),
      /**
       * How a write made by another replica reaches this one's in-memory keys, limits and
       * decisions. Always: this process's own writes, and on SQLite the database file's changes.
       * On postgres, LISTEN/NOTIFY unless `listen` is off (a pooler in transaction mode
       * cannot LISTEN); with `redis`, Redis pub/sub on `<channelPrefix>store` too.
       */
      changes: z
        .object({
          listen: z.boolean().default(true),
          redis: z.object({ url: z.string().default('redis://127.0.0.1:6379'), channelPrefix: z.string().default('moat:') }).optional(),
        })
        .prefault({}),
    })
    .prefault({}),
  ledger: z
    .object({
      /** Records committed to the store in one transaction, at most. */
      batchSize: z.number().int().positive().default(500),
      /** The batch window: a record waits at most this long to be committed (the timer runs only while records wait); while the store is down, the spool is retried this often. On SQLite, detection runs in the same worker and takes records a window at a time, so enforcement sees a finished request within about one window. */
      flushIntervalMs: z.number().int().positive().default(250),
      /**
       * What a kill -9 may lose. `journal`: each finished request is appended to a local journal
       * as it finishes (fsync'd every batch), so only requests still in flight are lost (and,
       * on power loss, one batch). `window`: records wait in memory until their batch is
       * committed, so the requests of the batch being written are lost too.
       */
      durability: z.enum(['journal', 'window']).default('journal'),
      /** Folder of the ledger's local files (journal, spool, quarantine); default: the store's folder. */
      localDir: z.string().optional(),
      /** What is kept of prompt and response text: all of it, a hash of it, or nothing. */
      text: z.enum(['full', 'hashed', 'none']).default('full'),
      /** Days after which text is dropped from ledger records; the usage record stays. */
      textRetentionDays: z.number().positive().optional(),
    })
    .prefault({}),
  keys: z
    .object({
      /** How long a rotated key keeps working beside its successor. */
      rotationGraceSeconds: z.number().int().nonnegative().default(86_400),
    })
    .prefault({}),
  log: z
    .object({
      /** pino level of the JSON logs on stdout; usually set through MOAT_LOG_LEVEL. */
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .prefault({}),
  detection: z
    .object({
      /** Online detection of extraction on every request (off: nothing is scored, nothing enforced automatically). */
      enabled: z.boolean().default(true),
      /** Share of benign accounts the operator accepts flagging: sets the calibrated threshold (score 0.5). */
      targetFalsePositiveRate: z.number().gt(0).lt(0.5).default(0.005),
      /** A calibration fitted on the operator's own legitimate traffic (`moat calibrate --out`); the built-in one otherwise. */
      calibrationFile: z.string().optional(),
      /** At start, the engine re-reads this many days of the ledger to rebuild its state. */
      warmUpDays: z.number().nonnegative().default(14),
    })
    .prefault({}),
  metering: z
    .object({
      /** Text longer than this is counted up to here and estimated beyond, so one count stays within a few ms. */
      tokenizeMaxChars: z.number().int().positive().default(16_384),
    })
    .prefault({}),
  /** The investigation console at /console; without users nobody can sign in. */
  console: z
    .object({
      users: z
        .array(
          z.object({
            name: z.string().min(1),
            role: z.enum(['viewer', 'analyst', 'admin']),
            /** `scrypt$N$r$p$salt$hash` from `moat console-user add`; never the password itself. */
            passwordHash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[0-9a-f]+\$[0-9a-f]+$/, 'not a hash from `moat console-user add`'),
          }),
        )
        .default([]),
      /**
       * Sign-in through an OpenID Connect provider (Okta, Google, Keycloak, ...) besides local
       * users: authorization code flow with PKCE, state and nonce; the role comes from a claim.
       */
      oidc: z
        .object({
          /** The provider's issuer URL; its /.well-known/openid-configuration is read at the first sign-in. */
          issuer: z.string().url(),
          clientId: z.string().min(1),
          /** The environment variable holding the client secret; unset, the console signs in as a public client (PKCE only). */
          clientSecretEnv: z.string().min(1).default('MOAT_OIDC_CLIENT_SECRET'),
          /** This console's callback as registered at the provider: `https://<host>/console/api/oidc/callback`. */
          redirectUrl: z.string().url(),
          scopes: z.array(z.string().min(1)).default(['openid', 'email', 'profile']),
          /** The claim that names the user in the console and the audit log (`console:<value>`); `sub` when absent. */
          userClaim: z.string().min(1).default('email'),
          /** The claim carrying the user's groups or roles (a string or a list of strings). */
          roleClaim: z.string().min(1).default('groups'),
          /** Claim value to console role; a user with several gets the highest. Without a match, sign-in is refused. */
          roleMapping: z.record(z.string(), z.enum(['viewer', 'analyst', 'admin'])).default({}),
          /** The sign-in button's text. */
          label: z.string().min(1).default('Sign in with single sign-on'),
        })
        .optional(),
      sessionHours: z.number().positive().default(8),
      /** Marks the session cookie `Secure`; turn off only for a console reached over plain HTTP on a trusted network. */
      secureCookie: z.boolean().default(true),
    })
    .prefault({}),
  /** Actions on accounts detection flags (or people name): policy, alerts, audit log. */
  enforcement: enforcementSchema.prefault({}),
  /** Keys of the provenance mark (`mark` in the enforcement policy) and canaries. */
  provenance: provenanceSchema.prefault({}),
  /**
   * Scale-out: every request's record goes to NATS JetStream instead of this process's own
   * ledger and detection; `moat serve --role` picks what a process does with the stream.
   */
  events: z
    .object({
      nats: z
        .object({
          servers: z.array(z.string().min(1)).min(1).default(['nats://127.0.0.1:4222']),
          /** Usually set through MOAT_NATS_TOKEN (or MOAT_NATS_USER / MOAT_NATS_PASSWORD). */
          token: z.string().optional(),
          user: z.string().optional(),
          password: z.string().optional(),
          /** Names the streams (`<name>_EVENTS`, `<name>_OBS`), their subjects (`<name>.ev.<partition>`) and consumers. */
          name: z.string().regex(/^[A-Za-z0-9_-]+$/).default('moat'),
          /** Account partitions (subject per account hash); detector workers split them among themselves. */
          partitions: z.number().int().positive().max(1024).default(16),
          /** JetStream de-duplication window: a record re-sent within it (after a spool replay, a crash) is stored once. */
          duplicateWindowMs: z.number().int().positive().default(600_000),
          /** How long the event stream keeps records (the ledger writers must have taken them by then). */
          retentionHours: z.number().positive().default(72),
          /** Longest wait for JetStream to acknowledge a record before it is spooled. */
          publishTimeoutMs: z.number().int().positive().default(2_000),
        })
        .optional(),
      /** Folder of the gateway's event journal and spool (records not yet acknowledged by JetStream); default: the store's folder. */
      localDir: z.string().optional(),
      /** How often a gateway tells the detectors how far its traffic has been published (and how often the linkage worker drains). */
      watermarkIntervalMs: z.number().int().positive().default(200),
      /** A gateway silent this long is taken for dead: detection stops waiting for its traffic. */
      gatewayTimeoutMs: z.number().int().positive().default(5_000),
      /** Readiness fails while a consumer has more records than this waiting. */
      maxConsumerLag: z.number().int().positive().default(50_000),
      /** This detector worker's number among `workers`: it takes the partitions p with p % workers == worker. */
      detector: z
        .object({ worker: z.number().int().nonnegative().default(0), workers: z.number().int().positive().default(1) })
        .prefault({}),
    })
    .prefault({}),
  /** Health (`/healthz`), readiness (`/readyz`) and metrics (`/metrics`) of every role, apart from the API port. */
  ops: z
    .object({
      host: z.string().default('127.0.0.1'),
      /** Off unless set (0: any free port, logged); deployments set one for their probes, e.g. 9464. */
      port: z.number().int().min(0).max(65535).optional(),
    })
    .prefault({}),
  /** OpenTelemetry traces of each request, exported over OTLP/HTTP when an endpoint is set. */
  telemetry: z
    .object({
      /** The collector's traces URL, e.g. http://otel-collector:4318/v1/traces (or MOAT_OTLP_ENDPOINT). */
      otlpEndpoint: z.url({ protocol: /^https?$/ }).optional(),
      serviceName: z.string().min(1).default('moat'),
    })
    .prefault({}),
  /** Quotas and rate limits; without this section nothing is limited. */
  limits: limitsSchema.optional(),
  /**
   * Only for replaying recorded traffic and for tests: lets a request carry its original
   * timestamp in `x-moat-replay-ts`. Never on in production.
   */
  replayClock: z.boolean().default(false),
});

export type MoatConfig = z.infer<typeof configSchema>;
export type UpstreamConfig = z.infer<typeof upstreamSchema>;
export type TierConfig = z.infer<typeof tierSchema>;
export type ConsoleConfig = MoatConfig['console'];
export type ConsoleUser = ConsoleConfig['users'][number];
