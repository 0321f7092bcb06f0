import type { Gateway } from '../../src/gateway/gateway.js';
import { scanRecords } from '../../src/ledger/ledger-rows.js';
import type { LedgerRecord } from '../../src/ledger/record.js';

export async function ledgerRecords(gateway: Gateway): Promise<LedgerRecord[]> {
  await gateway.ledger.flush();
  const records: LedgerRecord[] = [];
  for await (const record of scanRecords(gateway.store.ledger, {})) records.push(record);
  return records;
}

/** Waits until the ledger holds a record matching `predicate` (the handler records after the client has gone). */
export async function waitForRecord(gateway: Gateway, predicate: (record: LedgerRecord) => boolean): Promise<LedgerRecord> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const found = (await ledgerRecords(gateway)).find(predicate);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('no such ledger record appeared');
}
