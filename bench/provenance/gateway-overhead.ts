/**
 * End-to-end cost of the mark on streamed answers: the same streamed chat answer (a 2.6 KB
 * dev-v1-like answer in word-sized deltas from the stand-in upstream) through the gateway,
 * with the account unmarked and under `mark`, alternating batches so drift hits both alike.
 *   npx tsx bench/provenance/gateway-overhead.ts [requests per side, default 300]
 */
import { emptyDecision, type Decision } from '../../src/enforce/decision.js';
import { startFixture } from '../../test/helpers/gateway-fixture.js';

const PARAGRAPH =
  "Also, it is often difficult to obtain additional benefits quickly, but you can usually try to improve various helpful habits. It's certainly essential to verify the previous suggestions, and we don't need to modify them. ";
const TEXT = `${PARAGRAPH.repeat(6)}\n\n\`\`\`python\nprint("also")\n\`\`\`\n\n${PARAGRAPH.repeat(6)}`;
const perSide = Number(process.argv[2] ?? 300);
const fixture = await startFixture({
  standIn: { answers: () => ({ text: TEXT, usage: { prompt_tokens: 5, completion_tokens: 600 }, finishReason: 'stop' }) },
  config: { provenance: { keys: [{ id: 'bench', createdAt: '2026-01-01T00:00:00.000Z', secret: 'ab'.repeat(32) }] }, enforcement: { policy: { mode: 'enforce' } } },
});
const client = fixture.client();
const enforcer = fixture.gateway.enforcement!.enforcer;
const decide = (actions: Decision['actions']) =>
  enforcer.commit({ ...emptyDecision(fixture.account, new Date().toISOString()), actions, manual: true, campaign: 'c1', reason: 'bench', actor: 'bench' }, 'suspend');

async function once(): Promise<number> {
  const start = performance.now();
  let text = '';
  for await (const chunk of await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true })) text += chunk.choices[0]?.delta.content ?? '';
  if (text.length < TEXT.length - 200) throw new Error('short answer');
  return performance.now() - start;
}

const samples: Record<'plain' | 'marked', number[]> = { plain: [], marked: [] };
for (let i = 0; i < 20; i++) await once();
for (let batch = 0; batch < perSide / 25; batch++) {
  for (const side of ['plain', 'marked'] as const) {
    await decide(side === 'marked' ? ['mark'] : ['log']);
    for (let i = 0; i < 25; i++) samples[side].push(await once());
  }
}
await fixture.close();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
const kb = Buffer.byteLength(TEXT) / 1024;
process.stdout.write(
  `| streamed chat answer (${kb.toFixed(1)} KB, one delta a word) | median ms | mean ms |\n|---|---:|---:|\n| unmarked | ${median(samples.plain).toFixed(2)} | ${mean(samples.plain).toFixed(2)} |\n| under \`mark\` | ${median(samples.marked).toFixed(2)} | ${mean(samples.marked).toFixed(2)} |\n| added by the mark | ${(median(samples.marked) - median(samples.plain)).toFixed(2)} | ${(mean(samples.marked) - mean(samples.plain)).toFixed(2)} |\n\n${samples.plain.length} requests a side, one at a time, alternating batches of 25.\n`,
);
