import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVolumeDetector } from '../../src/detect/index.js';
import { HOUR, MIN, T0, account, chat, request } from './fixtures.js';

test('the volume baseline flags at its trailing-24h request limit and forgets after a day', () => {
  const detector = createVolumeDetector({ maxRequests: 10, maxTokens: 1e9 });
  detector.addAccount(account('busy'));
  detector.addAccount(account('steady'));
  for (let i = 0; i < 12; i++) detector.observe(request('busy', T0 + i * MIN, chat('hello')));
  // Nine a day, every day: never ten inside one trailing day.
  for (let d = 0; d < 5; d++) for (let i = 0; i < 9; i++) detector.observe(request('steady', T0 + d * 25 * HOUR + i * MIN, chat('hello')));
  const busy = detector.assessment('busy')!;
  assert.equal(busy.flagged, true);
  assert.equal(busy.firstFlaggedAt, new Date(T0 + 9 * MIN).toISOString());
  assert.equal(detector.assessment('steady')!.flagged, false);
  assert.equal(detector.verdicts().length, 2);
});
