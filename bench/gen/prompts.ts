/**
 * Loads the dev prompt sources (shared/data/prompts, see SOURCES.md) into items, conversations
 * and a neutral response pool. Each file has its own format, so each gets its own small parser.
 */
import { readdirSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { arr, type Category, guessCategory, type Json, joinInput, jsonLines, type Kind, kindOf, messageTurns, obj, readText, str, type Turn } from './prompt-files.js';
import { loadV2Sources } from './prompts-v2.js';

export type { Category, Kind, Turn };

export interface Item {
  src: string;
  prompt: string;
  answer?: string;
  kind: Kind;
  cat: Category;
  /** Multiple-choice parts (MMLU, ARC), for renderings other than the stored prompt. */
  mcq?: { question: string; choices: string[]; answer: number };
  /** The item's own system prompt (Orca pairs). */
  system?: string;
}

export interface Conversation {
  src: string;
  turns: Turn[];
}

export interface FewShot {
  question: string;
  target: string;
}

export interface Corpus {
  items: ReadonlyMap<string, Item[]>;
  convs: ReadonlyMap<string, Conversation[]>;
  /** Assistant texts with no link to any prompt: answers for items that have none. */
  neutral: { text: string[][]; code: string[][] };
  /** Longer texts that batch jobs summarize, classify and extract from. */
  docs: string[];
  generationPrompt: string;
  fewShot: FewShot[];
  stats: { src: string; loaded: number; dropped: number; kept: number }[];
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** OASST trees: follow the best-ranked reply at each level. */
function oasstPath(root: Json): Turn[] {
  const turns: Turn[] = [];
  let node = obj(root);
  let pendingUser: string | null = null;
  for (;;) {
    const role = str(node['role']);
    const text = str(node['text']);
    if (role === 'prompter') pendingUser = text;
    else if (role === 'assistant' && pendingUser !== null) {
      turns.push({ user: pendingUser, assistant: text });
      pendingUser = null;
    }
    const replies = arr(node['replies']).map(obj);
    if (replies.length === 0) break;
    replies.sort((a, b) => (typeof a['rank'] === 'number' ? a['rank'] : 99) - (typeof b['rank'] === 'number' ? b['rank'] : 99));
    node = replies[0] ?? {};
  }
  if (pendingUser !== null) turns.push({ user: pendingUser });
  return turns;
}

/** HH-RLHF transcripts are "\n\nHuman: ...\n\nAssistant: ..." strings. */
function hhTurns(transcript: string): Turn[] {
  const parts = transcript.split(/\n\n(Human|Assistant): /);
  const turns: Turn[] = [];
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const who = parts[i];
    const text = (parts[i + 1] ?? '').trim();
    if (who === 'Human') turns.push({ user: text });
    else {
      const last = turns[turns.length - 1];
      if (last && last.assistant === undefined) last.assistant = text;
    }
  }
  return turns.filter((t) => t.user !== '');
}

function lengthClass(len: number): number {
  return len < 400 ? 0 : len < 1500 ? 1 : 2;
}

export function loadCorpus(dir: string): Corpus {
  const items = new Map<string, Item[]>();
  const convs = new Map<string, Conversation[]>();
  const stats: Corpus['stats'] = [];
  const seen = new Set<string>();
  const neutral: Corpus['neutral'] = { text: [[], [], []], code: [[], [], []] };
  const docs: string[] = [];

  const file = (prefix: string): string => {
    const name = readdirSync(dir).find((f) => f.startsWith(prefix + '_'));
    if (!name) throw new Error(`prompt source ${prefix} not found in ${dir}`);
    return `${dir}/${name}`;
  };

  /** Dedup across sources on the first user text, as dev-v1's construction notes describe. */
  const addItems = (src: string, raw: Item[]): void => {
    const kept: Item[] = [];
    for (const it of raw) {
      const k = normalize(it.prompt);
      if (k === '' || seen.has(k)) continue;
      seen.add(k);
      kept.push(it);
    }
    items.set(src, kept);
    stats.push({ src, loaded: raw.length, dropped: raw.length - kept.length, kept: kept.length });
  };
  const addConvs = (src: string, raw: Turn[][]): void => {
    const kept: Conversation[] = [];
    const asItems: Item[] = [];
    for (const turns of raw) {
      if (turns.length === 0) continue;
      const k = normalize(turns.map((t) => t.user).join('\n'));
      if (k === '' || seen.has(k)) continue;
      seen.add(k);
      kept.push({ src, turns });
      const first = turns[0] as Turn;
      const it: Item = { src, prompt: first.user, kind: 'chat', cat: guessCategory(first.user) };
      if (first.assistant !== undefined) it.answer = first.assistant;
      asItems.push(it);
      for (const t of turns) {
        if (t.assistant === undefined || t.assistant.length < 20) continue;
        const pool = /```|\bdef |;\s*\n|\{\s*\n/.test(t.assistant) ? neutral.code : neutral.text;
        pool[lengthClass(t.assistant.length)]?.push(t.assistant);
        if (pool === neutral.text && t.assistant.length > 600) docs.push(t.assistant);
      }
    }
    convs.set(src, kept);
    items.set(src, asItems);
    stats.push({ src, loaded: raw.length, dropped: raw.length - kept.length, kept: kept.length });
  };

  // A01: MT-bench, two user turns, no answers.
  addConvs(
    'A01',
    jsonLines(file('A01')).map((r) => arr(obj(r)['turns']).map((t) => ({ user: str(t) }))),
  );
  const a03 = JSON.parse(readText(file('A03'))) as Json[];
  addConvs(
    'A03',
    a03.map((r) => [{ user: str(obj(r)['instruction']), assistant: str(obj(r)['output']) }]),
  );
  addConvs('A05', jsonLines(file('A05')).map((r) => [{ user: str(r) }]));
  addConvs('A06', jsonLines(file('A06')).map((r) => oasstPath(obj(r)['prompt'] ?? null)));
  addConvs('A07', jsonLines(file('A07')).map((r) => [{ user: str(obj(r)['prompt']) }]));
  addConvs('A09', jsonLines(file('A09')).map((r) => hhTurns(str(obj(r)['chosen']))));
  addConvs('A10', jsonLines(file('A10')).map((r) => [{ user: str(obj(r)['Instruction']) }]));
  const a14Dir = file('A14');
  addConvs(
    'A14',
    readdirSync(a14Dir)
      .filter((f) => f.endsWith('.json') && f !== 'sampling_metadata.json')
      .sort()
      .map((f) => messageTurns(arr(obj(JSON.parse(readText(`${a14Dir}/${f}`)) as Json)['conversations']), 'from', 'value')),
  );
  const a15Dir = file('A15');
  addConvs(
    'A15',
    readdirSync(a15Dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => messageTurns(arr(obj(JSON.parse(readText(`${a15Dir}/${f}`)) as Json)['messages']), 'role', 'content')),
  );

  addItems(
    'B01',
    jsonLines(file('B01')).map((r) => {
      const o = obj(r);
      const inst = obj(arr(o['instances'])[0]);
      const cat: Category = o['is_classification'] === true ? 'classification' : guessCategory(str(o['instruction']));
      return { src: 'B01', prompt: joinInput(str(o['instruction']), str(inst['input'])), answer: str(inst['output']), kind: kindOf(cat), cat };
    }),
  );
  const alpacaLike = (src: string, kind: Kind | null): void => {
    const rows = JSON.parse(readText(file(src))) as Json[];
    addItems(
      src,
      rows.map((r) => {
        const o = obj(r);
        const prompt = joinInput(str(o['instruction']), str(o['input']));
        const cat: Category = kind === 'code' ? 'code' : guessCategory(prompt);
        return { src, prompt, answer: str(o['output']) || str(o['response']), kind: kind ?? kindOf(cat), cat };
      }),
    );
  };
  alpacaLike('B03', null);
  alpacaLike('B05', 'code');
  alpacaLike('B06', 'code');
  addItems(
    'B08',
    jsonLines(file('B08')).map((r) => ({ src: 'B08', prompt: str(obj(r)['question']), answer: str(obj(r)['answer']), kind: 'math' as const, cat: 'math' as const })),
  );
  addItems(
    'B09',
    jsonLines(file('B09')).map((r) => ({ src: 'B09', prompt: str(obj(r)['problem']), answer: str(obj(r)['solution']), kind: 'math' as const, cat: 'math' as const })),
  );
  addItems(
    'B14',
    jsonLines(file('B14')).map((r) => ({
      src: 'B14',
      prompt: str(obj(r)['prompt']),
      answer: str(obj(r)['prompt']) + str(obj(r)['canonical_solution']),
      kind: 'code' as const,
      cat: 'code' as const,
    })),
  );
  addItems(
    'B16',
    jsonLines(file('B16')).map((r) => ({ src: 'B16', prompt: str(obj(r)['prompt']), kind: 'code' as const, cat: 'code' as const })),
  );

  const generationPrompt = readText(file('B02')).trim();
  const b18 = parseYaml(readText(file('B18'))) as { fewshot_config?: { samples?: { question?: string; target?: string }[] } };
  const fewShot = (b18.fewshot_config?.samples ?? []).map((s) => ({ question: String(s.question ?? ''), target: String(s.target ?? '') }));
  stats.push({ src: 'B02', loaded: 1, dropped: 0, kept: 1 });
  stats.push({ src: 'B18', loaded: fewShot.length, dropped: 0, kept: fewShot.length });

  // After the dev-v1 sources, so their records and the pools built from them stay as they were.
  const v2 = loadV2Sources(file);
  for (const [src, raw] of v2.convs) addConvs(src, raw);
  for (const [src, raw] of v2.items) addItems(src, raw);

  for (const it of items.get('A03') ?? []) if ((it.answer ?? '').length > 600) docs.push(it.answer as string);
  return { items, convs, neutral, docs, generationPrompt, fewShot, stats };
}

/**
 * Pools of several sources, concatenated in a fixed order. Memoised per corpus: thousands of
 * actors ask for the same pools, and a copy each would dominate the generator's memory.
 */
const itemPools = new WeakMap<Corpus, Map<string, Item[]>>();
const convPools = new WeakMap<Corpus, Map<string, Conversation[]>>();

function pooled<T>(cache: WeakMap<Corpus, Map<string, T[]>>, corpus: Corpus, sources: readonly string[], get: (s: string) => T[] | undefined): T[] {
  let byKey = cache.get(corpus);
  if (!byKey) {
    byKey = new Map();
    cache.set(corpus, byKey);
  }
  const key = sources.join(',');
  let pool = byKey.get(key);
  if (!pool) {
    pool = [];
    for (const s of sources) pool.push(...(get(s) ?? []));
    byKey.set(key, pool);
  }
  return pool;
}

export function itemsOf(corpus: Corpus, sources: readonly string[]): Item[] {
  return pooled(itemPools, corpus, sources, (s) => corpus.items.get(s));
}

export function convsOf(corpus: Corpus, sources: readonly string[]): Conversation[] {
  return pooled(convPools, corpus, sources, (s) => corpus.convs.get(s));
}

export { lengthClass };
