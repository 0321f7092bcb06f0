/** The README each generated set carries: what it is for and what is in it. */
import type { Corpus } from './prompts.js';
import type { Stats } from './emit.js';
import type { Actor, SourcePlan } from './world.js';

export interface ReadmeInput {
  preset: string;
  purpose: string;
  seed: number;
  scale: number;
  window: { start: string; end: string; days: number };
  actors: Actor[];
  stats: Stats;
  corpus: Corpus;
  pairing: SourcePlan;
  sizeBytes: number;
}

const PLAYBOOK_TEXT: Record<string, string> = {
  'benign:batch': 'batch jobs over documents (summarize / classify / extract JSON / title / embed / redact / route), regular spacing, nightly or one-off backfills, cloud IPs.',
  'benign:bench': 'one-off benchmark evaluations (some with CoT suffix, n>1 sampling, logprobs, two models, reruns, 8-shot completions), often from a fresh account, then nothing or casual use.',
  'benign:casual': 'individual users chatting through a client app or SDK: multi-turn conversations with history resent, 20 s-15 min think time, diurnal in their timezone, residential IPs; some in org groups sharing a company card and domain.',
  'benign:cohort': 'classroom cohorts: accounts created within days with one university domain, one SDK version, a shared campus NAT, all running the same assignment items before a deadline.',
  'benign:saas': 'product back ends: one system prompt, end users\' conversations (`user` field), diurnal with bursts, a few cloud IPs, fixed UA, 1-3 keys; some with embeddings + retrieved context, some launched mid-window.',
  'benign:tinker': 'developers debugging a prompt: bursts of near-identical prompts with parameter changes; some runaway loops of identical requests.',
  P1: 'naive bulk harvester: 1-3 accounts, thousands of requests/day, near-uniform 24/7, fixed template, often CoT suffix, high max_tokens.',
  P2: 'hydra: tens of accounts created within days, shared cards, email-domain pattern, hosting /24s, one UA, a template family, synchronized round-robin in an operator shift.',
  P3: 'reasoning-trace harvester: elaborate chain-of-thought elicitation, max_tokens 2048-8192, temperature 0.7-1, n>1 or seed sweeps or logprobs.',
  P4: 'self-instruct loop: instruction-generation prompts alternating with answering instructions, plus grading prompts over answer pairs.',
  P5: 'capability sweep: round-robin over task categories, moderate rate, optional "complete, detailed answers" system prompt.',
  P6: 'slow-and-low: hundreds of accounts aged weeks to months, 20-40 requests/day each on a human diurnal curve, a residential proxy address per request, one card per account, paraphrased or CoT-suffixed items, no item repeated across the fleet.',
  P7: 'paraphrased templates: each request reworded from combinable leads/asks/frames (hundreds of wordings) under a random system prompt, random temperature and max_tokens, jittered (exponential) gaps.',
  P8: 'cover traffic: the harvesting accounts also hold casual multi-turn chats (30-60% of sessions), diurnal timing, residential proxies, aged accounts.',
  P9: 'multi-turn extraction: each harvested item is followed by 1-3 "explain further / go deeper / verify" turns with history resent.',
};

function count(m: Map<string | number, number>): string {
  return [...m.entries()]
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}

export function readme(r: ReadmeInput): string {
  const accounts = r.actors.flatMap((a) => a.accounts);
  const extraction = accounts.filter((a) => a.label.label === 'extraction').length;
  const campaigns = new Set(r.actors.map((a) => a.campaign).filter((c): c is string => c !== null));
  const playbooks = [...new Set(accounts.map((a) => a.label.playbook))].sort();
  const rows = playbooks.map((pb) => {
    const accts = accounts.filter((a) => a.label.playbook === pb);
    const s = r.stats.perPlaybook.get(pb);
    const camps = new Set(accts.map((a) => a.label.campaign).filter((c) => c !== null)).size;
    return `| ${pb} | ${accts[0]?.label.label ?? ''} | ${accts.length} | ${s?.active.size ?? 0} | ${camps || ''} | ${s?.requests ?? 0} | ${s?.completion ?? 0} |`;
  });
  const details = playbooks.map((pb) => {
    const lines = r.actors.filter((a) => a.playbook === pb && a.describe !== '').map((a) => `  - ${a.describe}`);
    const shown = lines.length > 40 ? [...lines.slice(0, 40), `  - ... and ${lines.length - 40} more`] : lines;
    return `- **${pb}**: ${PLAYBOOK_TEXT[pb] ?? ''}\n${shown.join('\n')}`;
  });
  const ep = new Map([...r.stats.endpoints].map(([k, v]) => [k.replace('/v1/', '').replace('chat/completions', 'chat'), v] as [string, number]));
  const pairing = Object.entries(r.pairing).map(([k, v]) => `| ${k} | ${(v as string[]).join(', ') || '(none)'} |`);
  return `# Traffic set: ${r.preset} (generated)

Synthetic LLM-API traffic in the format of shared/TRAFFIC.md, made by \`bench/gen-traffic.ts\` from the dev prompt
sources (shared/data/prompts) in the way shared/data/traffic/dev-v1/README.md describes, but varied to test generalisation.

**What it tests.** ${r.purpose}

Command: \`npx tsx bench/gen-traffic.ts --preset ${r.preset} --seed ${r.seed} --scale ${r.scale} --out DIR\` (deterministic: same seed, same bytes).

- window: ${r.window.start} to ${r.window.end} (${r.window.days} days)
- accounts: ${accounts.length} (${extraction} extraction = ${((100 * extraction) / Math.max(1, accounts.length)).toFixed(1)}%)
- requests: ${r.stats.requests} (${r.stats.extractionRequests} from extraction accounts = ${((100 * r.stats.extractionRequests) / Math.max(1, r.stats.requests)).toFixed(1)}%)
- campaigns: ${campaigns.size}
- statuses: ${count(r.stats.statuses)}
- endpoints: ${count(ep)}
- requests.jsonl.gz: ${(r.sizeBytes / 1e6).toFixed(1)} MB

## Accounts and requests per persona / playbook

| playbook | label | accounts | with traffic | campaigns | requests | completion tokens |
|---|---|---:|---:|---:|---:|---:|
${rows.join('\n')}

## Personas and playbooks

${details.join('\n')}

## Source pairing

| role | sources |
|---|---|
${pairing.join('\n')}

Per-source records after deduplication (normalised first user text, across sources):

| source | loaded | duplicates dropped | kept |
|---|---:|---:|---:|
${r.corpus.stats.map((s) => `| ${s.src} | ${s.loaded} | ${s.dropped} | ${s.kept} |`).join('\n')}

## Construction notes

- Response text is real text: the item's own answer when the source has one, otherwise a neutral assistant text
  (assistant turns of the chat sources) chosen by a label-independent rule (length class from max_tokens and wording, code or not).
  Batch jobs answer with label words, lead sentences or JSON built from the document.
- usage: prompt_tokens = ceil(chars of all message contents / 4); completion_tokens = ceil(chars / 4) of the response, summed over
  n choices (other choices vary +-25%), computed before the 6,000-character storage truncation. A response longer than max_tokens*4
  characters is cut with finish_reason "length".
- 429 probability rises with the account's requests in the trailing minute; 500/503 are uniform; failed requests are retried a few
  seconds later with the same body.
- Account, key and campaign ids are random; request ids are global and in time order. labels.jsonl is for scoring only.
`;
}
