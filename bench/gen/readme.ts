/** The README each generated set carries: what it is for and what is in it. */
import type { Corpus } from './prompts.js';
import type { Stats } from './emit.js';
import type { Actor, SourcePlan } from './world.js';

export interface ReadmeInput {
  preset: string;
  purpose: string;
  /** gen-traffic flags that reproduce the set. */
  args: string;
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
  'benign:bench': 'one-off benchmark evaluations (GSM8K, MATH, HumanEval, MBPP, MMLU, ARC, MT-bench, AlpacaEval, Arena-Hard; some with CoT suffix, n>1 sampling, logprobs, seed sweeps, two models, reruns, 8-shot completions), often from a fresh account, then nothing or casual use.',
  'benign:casual': 'individual users chatting through a client app or SDK (in the newer presets dev-v2\'s client mix: SDKs, HTTP libraries, apps, plug-ins, some on /v1/responses): multi-turn conversations with history resent, 20 s-15 min think time, diurnal in their timezone, residential IPs; some in org groups sharing a company card and domain.',
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
  H1: 'low-and-slow hydra (dev-v2): many accounts created over weeks, a few to tens of requests on active days on a human diurnal curve in sittings, residential proxy exits from a pool of ~2.5 per account (each exit alive 1-6 days, so used by a few accounts), one wording per account around benchmark/instruction items dealt from one campaign deck (no item twice while it lasts), dev-v2 client mix, and cover chat (single- and multi-turn) at a set share of requests.',
  H2: 'reseller/router (dev-v2): 1-3 aged high-tier accounts carrying many end users\' conversations under a dozen app system prompts and many models, with a 15-30% stream of harvest items with "detailed, step-by-step" suffixes spread over the day.',
  H3: 'Orca-style harvest (dev-v2): Orca system messages over FLAN-formatted MMLU/ARC/instruction items and Orca pairs, tens of accounts, one hosting provider but a /24 each, a few cards shared by a third of the accounts, one working shift.',
  N1: 'Evol-Instruct loop (new): rewrite-this-prompt-to-be-harder calls (WizardLM in-depth/in-breadth wording, Code Evol-Instruct, or an in-house paraphrase), optional "are these equal" judge calls at T=0, and an answer call per evolved instruction; 1-4 rounds per seed.',
  N2: 'Baize-style self-chat (new): one call per seed asks for a whole human/AI dialogue in a transcript format ([|Human|]/[|AI|] with the assistant renamed, User:/Assistant:, or a JSON list), answered with a multi-turn transcript.',
  N3: 'CAMEL role-play (new): a program plays a "user" agent and an "assistant" agent (inception prompts with two roles and a task made specific by a task-specifier call); each call resends that agent\'s history (roles flipped for the user agent), calls follow a fixed sleep, conversations end at a turn limit or <CAMEL_TASK_DONE>.',
  N4: 'Alpaca/Self-Instruct generation (new): instruction-generation prompts in per-account wordings (Alpaca prompt.txt, Self-Instruct task lists, Unnatural Instructions examples, in-house requirement lists, short asks) with seed examples, then "is it classification?" checks at T=0, instance generation, and answers to the generated instructions.',
  N5: 'greedy rationale harvest (new): benchmark items with zero-shot-CoT or "brief rationale" wordings at temperature 0 and short, varying max_tokens (128-512), some accounts on /v1/completions with Kojima\'s two-stage prompt (reasoning, then "Therefore, the answer is"), optional fixed seeds.',
  'benign:enterprise': 'an enterprise: employees\' accounts on one company card and email domain behind one office NAT address (some requests from home), created at a rollout and as people join; office hours in one timezone; ordinary varied work chat (summaries, rewrites, replies, code for developers); ~40% through an internal wrapper with a shared client string and system prompt.',
  'benign:family': 'families of 2-5 on one card and one home address (phones sometimes elsewhere), personal webmail, evenings and weekends; teenagers ask homework items.',
  'benign:class': 'a class of students on the university\'s card, domain and campus NAT (home addresses at night), accounts made before the assignment, the same assignment items in the same order, pasted verbatim or with "show your work", temperature 0 or default, bunched before the deadline, some follow-ups.',
  'benign:vpn': 'unrelated people whose sittings go through one shared exit address: a commercial VPN in a hosting range, or a mobile carrier\'s CGNAT; everything else about them differs.',
  'benign:viral': 'hundreds of unrelated users asking the same viral prompt (light variations, some follow-ups) within days of its peak, 20% of them signing up for it, besides their usual chat.',
  'benign:hub': 'an IT consultancy account (office address, several keys, developer traffic) whose card and office set up many small client accounts, each then used by its own client from its own address.',
};

function countBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}

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
  const cardGroups = [...countBy(accounts.filter((a) => a.label.label === 'benign'), (a) => a.record.payment_fingerprint ?? '').values()].filter((n) => n >= 2);
  const pairing = Object.entries(r.pairing).map(([k, v]) => `| ${k} | ${(v as string[]).join(', ') || '(none)'} |`);
  return `# Traffic set: ${r.preset} (generated)

Synthetic LLM-API traffic in the format of shared/TRAFFIC.md, made by \`bench/gen-traffic.ts\` from the dev prompt
sources (shared/data/prompts) in the way shared/data/traffic/dev-v1/README.md and dev-v2/README.md describe, but varied to test
generalisation. Campaigns that take other sources than the set's pairing (below) name theirs.

**What it tests.** ${r.purpose}

Command: \`npx tsx bench/gen-traffic.ts ${r.args} --out DIR\` (deterministic: same flags, same bytes).

- window: ${r.window.start} to ${r.window.end} (${r.window.days} days)
- accounts: ${accounts.length} (${extraction} extraction = ${((100 * extraction) / Math.max(1, accounts.length)).toFixed(1)}%)
- requests: ${r.stats.requests} (${r.stats.extractionRequests} from extraction accounts = ${((100 * r.stats.extractionRequests) / Math.max(1, r.stats.requests)).toFixed(1)}%)
- campaigns: ${campaigns.size}; benign groups sharing a card: ${cardGroups.length} (largest ${Math.max(0, ...cardGroups)} accounts)
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
