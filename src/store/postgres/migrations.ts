/**
 * Applied in order; `moat_migrations` records how many have run. The same tables as SQLite's,
 * with identifiers and key columns in the "C" collation so both dialects sort alike.
 */
export const migrations: readonly string[] = [
  `CREATE TABLE accounts (
     account TEXT COLLATE "C" PRIMARY KEY,
     created_at TEXT NOT NULL,
     tier TEXT NOT NULL,
     country TEXT,
     email_domain TEXT,
     payment_fingerprint TEXT,
     signup_ip TEXT,
     verified BOOLEAN NOT NULL DEFAULT false
   );
   CREATE TABLE api_keys (
     id TEXT COLLATE "C" PRIMARY KEY,
     account TEXT COLLATE "C" NOT NULL REFERENCES accounts(account),
     hash TEXT NOT NULL UNIQUE,
     prefix TEXT NOT NULL,
     name TEXT,
     created_at BIGINT NOT NULL,
     revoked_at BIGINT,
     expires_at BIGINT,
     updated_at BIGINT NOT NULL
   );
   CREATE INDEX api_keys_account ON api_keys(account, created_at, id);
   CREATE INDEX api_keys_updated ON api_keys(updated_at);
   CREATE TABLE requests (
     id TEXT COLLATE "C" PRIMARY KEY,
     ts TEXT COLLATE "C" NOT NULL,
     ts_ms BIGINT NOT NULL,
     account TEXT COLLATE "C" NOT NULL,
     key TEXT COLLATE "C" NOT NULL,
     ip TEXT COLLATE "C" NOT NULL,
     user_agent TEXT NOT NULL,
     endpoint TEXT NOT NULL,
     model TEXT COLLATE "C",
     request TEXT NOT NULL,
     response TEXT NOT NULL,
     prompt_tokens INTEGER NOT NULL,
     completion_tokens INTEGER NOT NULL,
     status INTEGER NOT NULL,
     latency_ms INTEGER NOT NULL,
     stream BOOLEAN NOT NULL,
     aborted BOOLEAN NOT NULL,
     usage_source TEXT NOT NULL,
     error_code TEXT,
     text_dropped BOOLEAN NOT NULL DEFAULT false
   );
   -- Every console and report aggregate reads one of these two, index-only (the INCLUDE
   -- columns), never the rows that carry whole prompts and answers: by account and time
   -- (account pages, campaigns, scans of one account), by time alone (the whole ledger).
   CREATE INDEX requests_account_ts ON requests(account, ts_ms, id) INCLUDE (ts, prompt_tokens, completion_tokens, model, key, ip);
   CREATE INDEX requests_ts ON requests(ts_ms, id) INCLUDE (account, ts, prompt_tokens, completion_tokens, model);
   -- Text retention reads only the rows that still carry text.
   CREATE INDEX requests_text_kept ON requests(ts_ms) WHERE NOT text_dropped;
   -- Limit overrides are never deleted, only emptied, so replicas reading by updated_at see the change.
   CREATE TABLE limit_overrides (
     scope TEXT COLLATE "C" NOT NULL,
     subject TEXT COLLATE "C" NOT NULL,
     model TEXT COLLATE "C" NOT NULL,
     limits TEXT NOT NULL,
     updated_at BIGINT NOT NULL,
     PRIMARY KEY (scope, subject, model)
   );
   CREATE INDEX limit_overrides_updated ON limit_overrides(updated_at);
   -- The enforcement audit log: append-only, each row sealed with the hash of the one before.
   -- data is TEXT, not JSONB: the hash covers the JSON as written, and JSONB reorders keys.
   CREATE TABLE audit_log (
     seq BIGINT PRIMARY KEY,
     at TEXT NOT NULL,
     account TEXT COLLATE "C",
     campaign TEXT,
     action TEXT NOT NULL,
     actor TEXT NOT NULL,
     reason TEXT NOT NULL,
     data TEXT NOT NULL,
     prev_hash TEXT NOT NULL,
     hash TEXT NOT NULL
   );
   CREATE INDEX audit_log_account ON audit_log(account, seq);
   -- Bumped in the same transaction as each write to what replicas hold in memory (change-feed.ts);
   -- the audit row's lock is also what serialises appends to the chain.
   CREATE TABLE change_versions (topic TEXT COLLATE "C" PRIMARY KEY, version BIGINT NOT NULL);
   INSERT INTO change_versions (topic, version) VALUES ('accounts', 0), ('keys', 0), ('limits', 0), ('audit', 0);`,
  // Each account's totals, kept as rows arrive, so the console's account list reads one row per
  // account instead of aggregating the whole ledger. One statement per batch: the transition
  // table holds only the rows really inserted (not those ON CONFLICT DO NOTHING skipped), and
  // accounts are updated in order, so concurrent ledger writers cannot deadlock on them.
  `CREATE TABLE account_usage (
     account TEXT COLLATE "C" PRIMARY KEY,
     requests BIGINT NOT NULL,
     completion_tokens BIGINT NOT NULL,
     first_ts TEXT COLLATE "C" NOT NULL,
     last_ts TEXT COLLATE "C" NOT NULL
   );
   INSERT INTO account_usage SELECT account, count(*), sum(completion_tokens), min(ts), max(ts) FROM requests GROUP BY account;
   CREATE FUNCTION moat_account_usage() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO account_usage (account, requests, completion_tokens, first_ts, last_ts)
       SELECT account, count(*), sum(completion_tokens), min(ts), max(ts) FROM inserted GROUP BY account ORDER BY account
       ON CONFLICT (account) DO UPDATE SET requests = account_usage.requests + excluded.requests,
         completion_tokens = account_usage.completion_tokens + excluded.completion_tokens,
         first_ts = LEAST(account_usage.first_ts, excluded.first_ts), last_ts = GREATEST(account_usage.last_ts, excluded.last_ts);
     RETURN NULL;
   END $$;
   CREATE TRIGGER requests_account_usage AFTER INSERT ON requests REFERENCING NEW TABLE AS inserted
     FOR EACH STATEMENT EXECUTE FUNCTION moat_account_usage();`,
];
