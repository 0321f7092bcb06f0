/** Applied in order; `PRAGMA user_version` records how many have run. */
export const migrations: readonly string[] = [
  `CREATE TABLE accounts (
     account TEXT PRIMARY KEY,
     created_at TEXT NOT NULL,
     tier TEXT NOT NULL,
     country TEXT,
     email_domain TEXT,
     payment_fingerprint TEXT,
     signup_ip TEXT,
     verified INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE api_keys (
     id TEXT PRIMARY KEY,
     account TEXT NOT NULL REFERENCES accounts(account),
     hash TEXT NOT NULL UNIQUE,
     prefix TEXT NOT NULL,
     name TEXT,
     created_at INTEGER NOT NULL,
     revoked_at INTEGER,
     expires_at INTEGER,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX api_keys_account ON api_keys(account);
   CREATE INDEX api_keys_updated ON api_keys(updated_at);
   CREATE TABLE requests (
     id TEXT PRIMARY KEY,
     ts TEXT NOT NULL,
     ts_ms INTEGER NOT NULL,
     account TEXT NOT NULL,
     key TEXT NOT NULL,
     ip TEXT NOT NULL,
     user_agent TEXT NOT NULL,
     endpoint TEXT NOT NULL,
     model TEXT,
     request TEXT NOT NULL,
     response TEXT NOT NULL,
     prompt_tokens INTEGER NOT NULL,
     completion_tokens INTEGER NOT NULL,
     status INTEGER NOT NULL,
     latency_ms INTEGER NOT NULL,
     stream INTEGER NOT NULL,
     aborted INTEGER NOT NULL,
     usage_source TEXT NOT NULL,
     error_code TEXT,
     text_dropped INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX requests_ts ON requests(ts_ms, id);
   CREATE INDEX requests_account_ts ON requests(account, ts_ms);`,
  // Limit overrides are never deleted, only emptied, so replicas re-reading by updated_at see the change.
  `CREATE TABLE limit_overrides (
     scope TEXT NOT NULL,
     subject TEXT NOT NULL,
     model TEXT NOT NULL,
     limits TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (scope, subject, model)
   );
   CREATE INDEX limit_overrides_updated ON limit_overrides(updated_at);`,
  // The enforcement audit log: append-only, each row sealed with the hash of the one before.
  `CREATE TABLE audit_log (
     seq INTEGER PRIMARY KEY,
     at TEXT NOT NULL,
     account TEXT,
     campaign TEXT,
     action TEXT NOT NULL,
     actor TEXT NOT NULL,
     reason TEXT NOT NULL,
     data TEXT NOT NULL,
     prev_hash TEXT NOT NULL,
     hash TEXT NOT NULL
   );
   CREATE INDEX audit_log_account ON audit_log(account, seq);`,
  // Covers the console's and reports' aggregates, so they read this narrow index instead of
  // rows that carry whole prompts and answers (5-10x less to read on a full ledger).
  `CREATE INDEX requests_usage ON requests(account, ts_ms, ts, prompt_tokens, completion_tokens);`,
  // Bumped in the same transaction as each write to what replicas hold in memory (change-feed.ts).
  `CREATE TABLE change_versions (topic TEXT PRIMARY KEY, version INTEGER NOT NULL);
   INSERT INTO change_versions (topic, version) VALUES ('accounts', 0), ('keys', 0), ('limits', 0), ('audit', 0);`,
  // Text retention reads only the rows that still carry text, not every old row each run.
  `CREATE INDEX requests_text_kept ON requests(ts_ms) WHERE text_dropped = 0;`,
  // Each account's totals, kept as rows arrive, so the console's account list reads one row per
  // account instead of aggregating the whole ledger. A retried row (ON CONFLICT DO NOTHING) is
  // not inserted, so it fires nothing and is not counted twice.
  `CREATE TABLE account_usage (
     account TEXT PRIMARY KEY,
     requests INTEGER NOT NULL,
     completion_tokens INTEGER NOT NULL,
     first_ts TEXT NOT NULL,
     last_ts TEXT NOT NULL
   );
   INSERT INTO account_usage SELECT account, count(*), sum(completion_tokens), min(ts), max(ts) FROM requests GROUP BY account;
   CREATE TRIGGER requests_account_usage AFTER INSERT ON requests BEGIN
     INSERT INTO account_usage (account, requests, completion_tokens, first_ts, last_ts) VALUES (NEW.account, 1, NEW.completion_tokens, NEW.ts, NEW.ts)
     ON CONFLICT(account) DO UPDATE SET requests = requests + 1, completion_tokens = completion_tokens + excluded.completion_tokens,
       first_ts = min(first_ts, excluded.first_ts), last_ts = max(last_ts, excluded.last_ts);
   END;`,
  `CREATE TABLE console_users (
     name TEXT PRIMARY KEY,
     role TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
     password_hash TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );`,
  // requests_usage (account, ts_ms, ...) serves every lookup the (account, ts_ms) index did, and
  // each index is one more B-tree every ledger insert updates: this one was a fifth of an insert's CPU.
  `DROP INDEX requests_account_ts;`,
];
