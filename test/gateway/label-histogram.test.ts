import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Histogram, Registry } from 'prom-client';
import { LabelHistogram } from '../../src/gateway/label-histogram.js';

test("the step histogram's exposition is prom-client's own Histogram's, line for line", async () => {
  const bounds = [0.00001, 0.0001, 0.001, 0.1, 1];
  const ours = new Registry();
  const theirs = new Registry();
  const fast = new LabelHistogram('moat_x_seconds', 'help text', 'step', bounds);
  ours.registerMetric(fast.asMetric());
  const reference = new Histogram({ name: 'moat_x_seconds', help: 'help text', labelNames: ['step'] as const, buckets: bounds, registers: [theirs] });
  // On a bound, between bounds, above the last one, zero.
  const observations: [string, number][] = [['parse', 0.0001], ['parse', 0.00005], ['forward', 0.25], ['forward', 3], ['in-flight end', 0]];
  for (const [step, value] of observations) {
    fast.observe(step, value);
    reference.labels({ step }).observe(value);
  }
  const lines = (text: string) => text.trim().split('\n');
  assert.deepEqual(lines(await ours.metrics()), lines(await theirs.metrics()));
  fast.reset();
  assert.doesNotMatch(await ours.metrics(), /_count/);
});
