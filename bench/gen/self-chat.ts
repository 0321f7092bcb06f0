/**
 * N2 Baize-style self-chat (Xu et al. 2023): one call asks the model to write a whole multi-turn
 * dialogue between a human and an AI assistant about a seed question, in a fixed transcript
 * format; the operator parses the transcript into training dialogues. One request per seed.
 */
import { runFleet, sendAs } from './campaign.js';
import { Deck } from './deck.js';
import { scriptUa } from './net.js';
import { type Conversation, convsOf, itemsOf } from './prompts.js';
import type { Rng } from './rng.js';
import { scriptHabits, stealthFleet, type StealthOpts } from './stealth.js';
import { userMsg } from './stream.js';
import { fill } from './templates.js';
import { neutral } from './text.js';
import type { Actor, Ctx } from './world.js';

const BAIZE =
  'The following is a conversation between a human and an AI assistant named {name} ({name} is an open-source AI assistant developed by {org}). The human and the AI assistant take turns chatting. Human statements start with [|Human|] and AI assistant statements start with [|AI|]. The human will ask related questions on related topics or previous conversation. The human will stop the conversation when they have no more question. The AI assistant tries not to ask questions. Complete the transcript in exactly that format.\n[|Human|]Hello!\n[|AI|] Hi! How can I help you?\n[|Human|] {x}\n[|AI|]';

const PLAIN = 'Write a realistic conversation of {turns} turns between a curious user and a helpful AI assistant. The user opens with the question below and asks natural follow-up questions; the assistant answers in detail. Write each turn on a new line starting with "User:" or "Assistant:".\n\nQuestion: {x}';

const JSON_FORM = 'Generate a multi-turn dialogue ({turns} exchanges) between a human and an AI assistant that starts from this question:\n"{x}"\nReturn only a JSON array of objects with keys "role" ("user" or "assistant") and "content".';

type Form = 'baize' | 'plain' | 'json';

/** The transcript the model writes back, made from a real conversation in the chat sources. */
function transcript(rng: Rng, ctx: Ctx, form: Form, seed: string, conv: Conversation, turns: number): string {
  const pairs = [{ user: seed, assistant: conv.turns[0]?.assistant ?? neutral(rng, ctx.corpus, false, 1024, seed) }, ...conv.turns.slice(1, turns).map((t) => ({ user: t.user, assistant: t.assistant ?? neutral(rng, ctx.corpus, false, 512, t.user) }))];
  if (form === 'json') return JSON.stringify(pairs.flatMap((p) => [{ role: 'user', content: p.user }, { role: 'assistant', content: p.assistant }]));
  const [h, a] = form === 'baize' ? ['[|Human|] ', '[|AI|] '] : ['User: ', 'Assistant: '];
  return pairs.map((p, i) => `${i === 0 && form === 'baize' ? '' : h + p.user + '\n'}${a}${p.assistant}`).join('\n') + (form === 'baize' ? '\n[|Human|]' : '');
}

export interface SelfChatParams {
  size: number;
  perDay: readonly [number, number];
  form?: Form;
}

export function n2SelfChat(ctx: Ctx, rng: Rng, p: SelfChatParams, st: StealthOpts): Actor {
  const ua = scriptUa(rng);
  const models = [rng.pick(['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-4o', 'gpt-5-mini'])];
  const f = stealthFleet(ctx, rng, { playbook: 'N2', size: p.size, perDay: p.perDay, span: [3, 9], activeP: 0.85, habits: () => scriptHabits(ua, models) }, st);
  const form: Form = p.form ?? rng.pick(['baize', 'baize', 'plain', 'json'] as const);
  const name = form === 'baize' ? rng.pick([['Baize', 'UCSD and Sun Yat-Sen University'], ['Aria', 'an independent research lab'], ['Nova', 'a university team']] as const) : null;
  const template = form === 'baize' ? BAIZE.replace(/\{name\}/g, name?.[0] ?? 'Baize').replace('{org}', name?.[1] ?? '') : form === 'plain' ? PLAIN : JSON_FORM;
  const seeds = new Deck(rng, itemsOf(ctx.corpus, ctx.sources.harvest));
  const dialogues = convsOf(ctx.corpus, ctx.sources.chat).filter((c) => c.turns.length >= 2);
  const maxTokens = rng.pick([1024, 2048, 4096]);
  const temperature = rng.pick([0.7, 0.9, 1]);
  return {
    playbook: 'N2',
    campaign: f.campaign,
    accounts: f.accounts,
    describe: `${f.campaign}: ${p.size} acct, ${form} transcript prompt${name ? ` (assistant "${name[0]}")` : ''}, temperature ${temperature}, max_tokens ${maxTokens}, ~${p.perDay[0]}-${p.perDay[1]}/day/acct, ${f.stealthText}, seeds=[${ctx.sources.harvest.join(', ')}]`,
    events: () =>
      runFleet(ctx, rng, f.members, f.schedule, (m, t, out) => {
        const seed = (seeds.next().prompt.split('\n')[0] ?? '').slice(0, 400);
        const turns = rng.int(3, 8);
        const prompt = fill(template.replace('{turns}', String(turns)), seed);
        out.push(sendAs(m, t, { model: models[0] as string, messages: [userMsg(prompt)], temperature, max_tokens: maxTokens }, transcript(rng, ctx, form, seed, rng.pick(dialogues), turns)));
        return 1;
      }, f.cover, f.fromDay, f.toDay),
  };
}
