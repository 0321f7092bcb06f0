import type { AccountState } from './account-state.js';
import type { Tally } from './tally.js';
import type { Reason } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface Scored {
  score: number;
  reasons: Reason[];
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

/**
 * Harvest evidence from additive counters (one account's, or a whole campaign's): how strongly and
 * how often requests ask for harvestable output, discounted by what legitimate heavy users do
 * instead (conversations, repeats of the same items, short outputs, many end users).
 */
export function tallyEvidence(t: Tally, withReasons = true): Scored {
  const n = t.requests;
  if (n === 0) return { score: 0, reasons: [] };
  const reasons: Reason[] = [];
  // Writing tasks and grading answers in one account is a synthetic-data pipeline, whatever
  // the share of plain answering requests around them.
  const pipelineCount = t.generation + t.grading;
  const pipeline = pipelineCount >= 3 ? Math.min(1, (5 * pipelineCount) / n) : 0;
  // Judged on the harvest requests themselves, so interleaved cover chat dilutes little.
  const hitIntensity = t.harvestHits === 0 ? 0 : (t.hitHarvest / t.harvestHits) * Math.min(1, 0.4 + t.share(t.harvestHits));
  const intensity = Math.min(1, Math.max(t.harvest / n, hitIntensity) + 0.3 * pipeline);
  const confidence = 1 - Math.exp(-t.harvestHits / 12);
  const single = t.share(t.singleTurn);
  const followUps = n - t.singleTurn;
  // Conversations count as harvesting only as far as their follow-ups keep asking for more.
  const conversational = single + (followUps === 0 ? 0 : (1 - single) * (t.followUpAsks / followUps));
  const repeats = Math.min(1, t.share(t.nearDuplicates) + t.share(t.sharedItems));
  const endUsers = t.share(t.withEndUser);
  const ratio = t.completionTokens / Math.max(1, t.promptTokens);
  let score = 1.7 * intensity * confidence * conversational * conversational * (1 - repeats);
  if (endUsers > 0.5) score *= 0.3;
  if (t.promptTokens > 5000 && ratio < 0.3) score *= 0.5;
  // Reasons cost string formatting on every request; they are only built when asked for.
  if (!withReasons) return { score: Math.min(1, score), reasons };
  const add = (signal: string, value: number, text: string, when: boolean): void => {
    if (when) reasons.push({ signal, value, text });
  };
  add('reasoning-elicitation', t.share(t.reasoning), `reasoning elicitation in ${pct(t.share(t.reasoning))} of requests`, t.reasoning / n >= 0.2);
  add('verbosity-request', t.share(t.verbosity), `asks for long/complete answers in ${pct(t.share(t.verbosity))} of requests`, t.verbosity / n >= 0.2);
  add('instruction-generation', t.share(t.generation), `task/instruction generation in ${pct(t.share(t.generation))} of requests`, t.generation / n >= 0.05);
  add('grading-prompts', t.share(t.grading), `grading/rubric prompts in ${pct(t.share(t.grading))} of requests`, t.grading / n >= 0.05);
  add('dataset-items', t.share(t.dataset), `benchmark/dataset-style items in ${pct(t.share(t.dataset))} of requests`, t.dataset / n >= 0.3);
  add('heavy-max-tokens', t.share(t.heavyMaxTokens), `max_tokens >= 2000 in ${pct(t.share(t.heavyMaxTokens))} of requests`, t.heavyMaxTokens / n >= 0.3);
  add('risky-params', t.share(t.risky), `n>1/logprobs/logit_bias in ${pct(t.share(t.risky))} of requests`, t.risky > 0);
  add('harvest-requests', t.harvestHits, `${t.harvestHits} harvest-style requests of ${n} (mean intensity ${intensity.toFixed(2)})`, t.harvestHits > 0);
  add('follow-up-asks', t.followUpAsks, `${t.followUpAsks} follow-ups ask for more reasoning or detail`, t.followUpAsks >= 5);
  add('single-turn', single, `${pct(single)} single-turn`, single >= 0.9);
  add('repeats', repeats, `${pct(repeats)} repeated or shared items (discount)`, repeats >= 0.2);
  add('end-users', endUsers, `tags ${pct(endUsers)} of requests with end-user ids (discount)`, endUsers > 0.5);
  return { score: Math.min(1, score), reasons };
}

/**
 * A fixed wrapper around ever-new items, asking for long sampled output, sustained for hours:
 * the shape of a dataset sweep even when no phrase in it gives it away. Greedy decoding, short
 * outputs and short runs are what benchmark runs and batch jobs look like instead.
 */
export function sweepEvidence(state: AccountState): Scored {
  const t = state.tally;
  const n = t.requests;
  if (n < 30) return { score: 0, reasons: [] };
  const concentration = state.skeletonConcentration();
  const distinct = Math.min(1, state.contents.estimate() / n);
  const heavy = t.share(t.heavyMaxTokens) >= 0.5 || t.completionTokens >= 1.5 * t.promptTokens;
  // Busy hours, not first-to-last span: a benchmark rerun a week later is still a short job.
  const busyHours = state.activeSlots;
  if (concentration < 0.6 || distinct < 0.8 || t.share(t.singleTurn) < 0.9 || !heavy) return { score: 0, reasons: [] };
  if (t.share(t.brevity) >= 0.2 || t.share(t.greedy) >= 0.5 || t.share(t.withEndUser) > 0.5) return { score: 0, reasons: [] };
  const score = 0.6 * Math.min(1, n / 300) * Math.min(1, busyHours / 12);
  const text = `templated sweep: ${pct(concentration)} one skeleton, ${pct(distinct)} distinct items, long sampled output in ${busyHours} busy hours`;
  return { score, reasons: score > 0.1 ? [{ signal: 'templated-sweep', value: score, text }] : [] };
}

/**
 * Fresh single-turn items spread evenly over many kinds of task, around the clock, for many
 * hours: a capability sweep collecting a general-purpose training set. People sleep and stick
 * to what they need; product back ends serve end users and hold conversations.
 */
export function coverageEvidence(state: AccountState): Scored {
  const t = state.tally;
  const n = t.requests;
  if (n < 50 || state.activeSlots < 12) return { score: 0, reasons: [] };
  const spread = state.taskSpread(0.1);
  const hours = state.activeHours();
  if (spread < 4 || hours < 20 || t.share(t.singleTurn) < 0.9 || t.share(t.withEndUser) > 0.5) return { score: 0, reasons: [] };
  if (t.share(t.greedy) >= 0.5 || t.share(t.brevity) >= 0.2 || t.share(t.heavyMaxTokens) + t.share(t.verbosity) < 0.5) return { score: 0, reasons: [] };
  const score = 0.4 * Math.min(1, n / 300);
  const text = `capability sweep: ${spread} task types each >= 10%, active ${hours}/24 hours of the day, ${n} single-turn items`;
  return { score, reasons: [{ signal: 'coverage-sweep', value: score, text }] };
}

/**
 * One harness template over one kind of task, for a few hours: the shape of a benchmark run,
 * which asks for reasoning and samples as much as any harvester but is finite. The discount
 * lapses once the account has been busy for more hours than a benchmark run takes.
 */
export function benchmarkShape(state: AccountState): Scored {
  const concentration = state.skeletonConcentration();
  const dominant = state.dominantTask();
  if (state.tally.requests < 4 || concentration < 0.8 || dominant < 0.6 || state.activeSlots >= 24 || state.seedChanges >= 5) return { score: 1, reasons: [] };
  const text = `benchmark-run shape: ${pct(concentration)} one template, ${pct(dominant)} one task type, ${state.activeSlots} active hours (discount)`;
  return { score: 0.35, reasons: [{ signal: 'benchmark-shape', value: 0.35, text }] };
}

/** Behaviour over time that automation shows and people do not; multiplies the harvest evidence. */
export function automationBoost(state: AccountState, createdMs: number | undefined, nowMs: number, withReasons = true): Scored {
  const reasons: Reason[] = [];
  let boost = 1;
  const push = (reason: () => Reason): void => {
    if (withReasons) reasons.push(reason());
  };
  const perDay = state.recentVolume.valueAt(nowMs) * Math.LN2 * 2;
  if (perDay >= 150) {
    boost += 0.15;
    push(() => ({ signal: 'volume', value: Math.round(perDay), text: `about ${Math.round(perDay)} requests/day` }));
  }
  const concentration = state.skeletonConcentration();
  if (concentration >= 0.5 && state.tally.requests >= 10) {
    boost += 0.1;
    push(() => ({ signal: 'skeleton-concentration', value: concentration, text: `${pct(concentration)} of prompts share one skeleton` }));
  }
  const spanDays = (state.lastMs - state.firstMs) / DAY;
  const hours = state.activeHours();
  if (spanDays >= 1 && hours >= 22) {
    boost += 0.1;
    push(() => ({ signal: 'no-quiet-hours', value: hours, text: `active in ${hours}/24 hours of the day` }));
  }
  if (createdMs !== undefined && nowMs - createdMs < 7 * DAY && state.tally.requests >= 20) {
    boost += 0.05;
    push(() => ({ signal: 'new-account', value: (nowMs - createdMs) / DAY, text: `account ${((nowMs - createdMs) / DAY).toFixed(1)} days old` }));
  }
  if (state.seedChanges >= 5) {
    boost += 0.1;
    push(() => ({ signal: 'seed-sweep', value: state.seedChanges, text: `${state.seedChanges} seed changes` }));
  }
  return { score: boost, reasons };
}

/**
 * A group of accounts signed up together that splits one stream of fresh single-turn items
 * between them: the hydra shape, visible without any phrase in the prompts. Cohorts doing one
 * assignment repeat each other's items, and organisations sharing a card hold conversations.
 */
export function coordinationEvidence(t: Tally, members: number, signupSpreadDays: number): Scored {
  if (members < 5 || t.requests < 50 || signupSpreadDays > 14) return { score: 0, reasons: [] };
  const single = t.share(t.singleTurn);
  const shared = t.share(t.sharedItems) + t.share(t.nearDuplicates);
  if (single < 0.9 || shared >= 0.2 || t.share(t.greedy) >= 0.5 || t.share(t.brevity) >= 0.2) return { score: 0, reasons: [] };
  const score = 0.7 * Math.min(1, members / 6) * Math.min(1, t.requests / 200) * (1 - shared);
  const text = `${members} accounts signed up within ${signupSpreadDays.toFixed(1)} days split ${t.requests} fresh single-turn items (${pct(shared)} repeated)`;
  return { score, reasons: [{ signal: 'coordinated-sweep', value: score, text }] };
}
