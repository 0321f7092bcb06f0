import { after, before, describe, test } from 'node:test';
import { DIALECTS, type Dialect } from './dialects.js';
import { assertConnectionsRecover, assertListenReconnects, assertNoLedgerScans, storeCases } from './store.cases.js';

// One suite, every dialect: a case that passes on SQLite and fails on PostgreSQL (or the
// reverse) is a dialect bug, found here rather than by a replica in production.
for (const dialect of DIALECTS) {
  describe(`store on ${dialect.name}`, { skip: dialect.skip }, () => {
    let databases: Awaited<ReturnType<Dialect['start']>>;
    before(async () => {
      databases = await dialect.start();
    });
    after(() => databases?.stop());
    const cases = Object.entries(storeCases);
    if (dialect.name === 'postgres') {
      cases.push(['indexes serve every console and ledger query (no sequential scan of the ledger)', assertNoLedgerScans]);
      cases.push(['changes: a LISTEN connection cut by the server is reopened, and a change made meanwhile arrives', assertListenReconnects]);
      cases.push(['ledger: connections cut by the server are replaced; failures are judged by SQLSTATE class', assertConnectionsRecover]);
    }
    for (const [name, run] of cases) {
      test(name, async () => {
        const { under, dispose } = await databases.create();
        try {
          await run(under);
        } finally {
          await dispose();
        }
      });
    }
  });
}
