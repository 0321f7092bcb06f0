/**
 * N5 rationale harvest: short step-by-step rationales over benchmark items, greedy (temperature 0)
 * with short and varying max_tokens, the way zero-shot-CoT (Kojima et al. 2022) and
 * distilling-step-by-step pipelines collect them. Some accounts use the completions endpoint with
 * Kojima's two stages (reasoning, then "Therefore, the answer is" for the final answer).
 * Unlike P3 and most harvesters, nothing is sampled at T>0.
 */
import { runFleet, sendAs } from './campaign.js';
import { Deck } from './deck.js';
import { scriptUa, sdkUa } from './net.js';
import { itemsOf } from './prompts.js';
import type { Rng } from './rng.js';
import { scriptHabits, stealthFleet, type StealthOpts } from './stealth.js';
import { userMsg } from './stream.js';
import { fill } from './templates.js';
import { respond } from './text.js';
import type { Actor, Ctx } from './world.js';

const FORMS = [
  "Q: {x}\nA: Let's think step by step.",
  "{x}\n\nLet's think step by step.",
  "Question: {x}\nExplain your reasoning briefly, then give the final answer after 'Answer:'.",
  '{x}\nGive a short rationale, then the answer.',
  'Solve: {x}\nRationale:',
  '{x}\n\nThink it through in a few sentences before answering.',
];

const SHORT = [128, 192, 256, 320, 384, 512];

export interface RationaleParams {
  size: number;
  perDay: readonly [number, number];
  /** Share of accounts calling /v1/completions with the two-stage prompt. */
  completionsShare: number;
}

export function n5Rationale(ctx: Ctx, rng: Rng, p: RationaleParams, st: StealthOpts): Actor {
  const chatModel = rng.pick(['gpt-4o', 'gpt-4.1', 'gpt-4o-mini', 'gpt-4.1-mini']);
  const f = stealthFleet(ctx, rng, { playbook: 'N5', size: p.size, perDay: p.perDay, span: [4, 10], activeP: 0.8, habits: (r) => scriptHabits(r.chance(0.5) ? sdkUa(r) : scriptUa(r), [chatModel]) }, st);
  const all = itemsOf(ctx.corpus, ctx.sources.harvest);
  const bench = all.filter((it) => it.cat === 'math' || it.cat === 'qa' || it.mcq !== undefined);
  const deck = new Deck(rng, bench.length >= 200 ? bench : all);
  const setup = new Map(f.accounts.map((a) => [a.record.account, { form: rng.pick(FORMS), completions: rng.chance(p.completionsShare), seed: rng.chance(0.3) ? rng.int(0, 9999) : null, tokens: rng.sample(SHORT, rng.int(2, 4)) }] as const));
  return {
    playbook: 'N5',
    campaign: f.campaign,
    accounts: f.accounts,
    describe: `${f.campaign}: ${p.size} acct, temperature 0, max_tokens from {${SHORT.join(', ')}} (2-4 values per account), ${Math.round(p.completionsShare * 100)}% of accounts on /v1/completions two-stage, ${chatModel} for chat, ~${p.perDay[0]}-${p.perDay[1]}/day/acct, ${f.stealthText}, sources=[${ctx.sources.harvest.join(', ')}]`,
    events: () =>
      runFleet(ctx, rng, f.members, f.schedule, (m, t, out) => {
        const s = setup.get(m.speaker.acct.record.account);
        if (!s) return 0;
        const it = deck.next();
        const maxTokens = rng.pick(s.tokens);
        const reasoning = respond(rng, ctx.corpus, it, maxTokens).slice(0, maxTokens * 4);
        const seed = s.seed !== null ? { seed: s.seed } : {};
        if (!s.completions) {
          out.push(sendAs(m, t, { model: chatModel, messages: [userMsg(fill(s.form, it.prompt))], temperature: 0, max_tokens: maxTokens, ...seed }, reasoning));
          return 1;
        }
        const prompt = `Q: ${it.prompt}\nA: Let's think step by step.`;
        out.push(sendAs(m, t, { model: 'gpt-3.5-turbo-instruct', prompt, temperature: 0, max_tokens: maxTokens, ...seed }, reasoning, '/v1/completions'));
        const final = (/(-?\d[\d,.]*)\D*$/.exec(it.answer ?? '')?.[1] ?? 'A').replace(/[.,]$/, '');
        out.push(sendAs(m, t + 400 + reasoning.length * 1.5, { model: 'gpt-3.5-turbo-instruct', prompt: `${prompt} ${reasoning}\nTherefore, the answer is`, temperature: 0, max_tokens: 32, ...seed }, ` ${final}.`, '/v1/completions'));
        return 2;
      }, f.cover, f.fromDay, f.toDay),
  };
}
