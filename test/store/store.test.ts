import { describe, test } from 'node:test';
import { DIALECTS } from './dialects.js';
import { assertNoLedgerScans, storeCases } from './store.cases.js';

// One suite, every dialect: a case that passes on SQLite and fails on PostgreSQL (or the
// reverse) is a dialect bug, found here rather than by a replica in production.
for (const dialect of DIALECTS) {
  describe(`store on ${dialect.name}`, { skip: dialect.skip }, () => {
    const cases = Object.entries(storeCases);
    if (dialect.name === 'postgres') cases.push(['indexes serve every console and ledger query (no sequential scan of the ledger)', assertNoLedgerScans]);
    for (const [name, run] of cases) {
      test(name, async () => {
        const { under, dispose } = await dialect.create();
        try {
          await run(under);
        } finally {
          await dispose();
        }
      });
    }
  });
}
