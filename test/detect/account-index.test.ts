import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AccountIndex } from '../../src/detect/account-index.js';

test('accounts are found by name as the index grows, and unknown names are not', () => {
  const accounts: { account: string }[] = [];
  const index = new AccountIndex(accounts);
  for (let i = 0; i < 5000; i++) {
    accounts.push({ account: `acct_${i.toString(36)}` });
    index.add(i);
  }
  accounts.push({ account: '' });
  index.add(5000);
  for (let i = 0; i <= 5000; i++) assert.equal(index.get(accounts[i]!.account), accounts[i]);
  assert.equal(index.get('acct_unknown'), undefined);
  assert.equal(index.get(`acct_${(5001).toString(36)}`), undefined);
});
