import { requestFieldsOf, type Turn } from '../traffic/request-fields.js';
import { timestampMs } from '../traffic/timestamp.js';
import type { TrafficRequest } from '../traffic/types.js';
import { fnv1a, fnv1aLoose, fnv1aLoosePair } from './hash.js';
import { scanPrompt, type ItemLine, type PromptShape } from './prompt-scan.js';
import { readPrompt, textSignals, type TextSignals } from './text-signals.js';

/** Characters of a prompt hashed to tell prompts apart, with its length: two prompts alike that far and as long are one. */
const READ_CHARS = 500;

const lengthSeed = (text: string, seed: number): number => (seed ^ Math.imul(text.length, 0x9e3779b1)) >>> 0;
const promptHash = (text: string, seed: number): number => fnv1aLoose(text, lengthSeed(text, seed), READ_CHARS);

/** Statuses of requests refused before forwarding: detection sees probing and key cycling too. */
const REFUSED = new Set([401, 403, 404, 429]);

/** What one request tells detection on arrival (its body only: the response comes later). */
export interface RequestFeatures {
  ms: number;
  /** Refused before forwarding (401, 403, 404, 429): counted, not read as a prompt. */
  refused: boolean;
  status: number;
  embedding: boolean;
  text: TextSignals;
  /** Hashes of the recurring parts an automated client wraps around items (see wrapper.ts). */
  wrappers: readonly number[];
  /** The last user turn, normalised: equal for repeats of one prompt. */
  item: number;
  /** Lines that may be the item the prompt asks, whatever wraps it (see item-keys.ts); none for follow-ups. */
  itemLines: readonly ItemLine[];
  /** The system prompt's hash (0 when none). */
  system: number;
  /** The conversation a follow-up belongs to (its first user turn's hash); 0 for a single turn. */
  conversation: number;
  /** The conversation this request opens or continues (its first user turn's hash), single turns included. */
  thread: number;
  /** Index into TASK_TYPES: what kind of task the item is. */
  task: number;
  /** No assistant turn in the history: a fresh item, not a conversation. */
  singleTurn: boolean;
  /** For a follow-up: its own text's hash, to tell stock follow-ups (a script) from a person's. */
  followUp: number;
  maxTokens: number;
  temperature: number | undefined;
  choices: number;
  logprobs: boolean;
  logitBias: boolean;
  seed: number | undefined;
  endUser: boolean;
  lastUserChars: number;
}

interface Roles {
  system: string;
  firstUser: string;
  lastUser: string;
  assistantTurns: number;
}

function rolesOf(turns: readonly Turn[]): Roles {
  const roles: Roles = { system: '', firstUser: '', lastUser: '', assistantTurns: 0 };
  let sawUser = false;
  for (const turn of turns) {
    if (turn.role === 'assistant') roles.assistantTurns++;
    else if (turn.role === 'system' || turn.role === 'developer') roles.system = turn.text;
    else if (turn.role === 'user') {
      if (!sawUser) roles.firstUser = turn.text;
      sawUser = true;
      roles.lastUser = turn.text;
    }
  }
  return roles;
}

const NOTHING: TextSignals = textSignals('');
const NO_SHAPE: PromptShape = { wrappers: [], items: [] };

/** What is read from a prompt's words: the same prompt (an assignment, a retry, a stock follow-up) is read once. */
interface Reading {
  text: TextSignals;
  shape: PromptShape;
  task: number;
}

const READINGS_KEPT = 4096;

/**
 * The readings of the last prompts by key, all forgotten at once when `READINGS_KEPT` are held:
 * an open-addressed table of 32-bit keys, where forgetting is a new stamp (a Map of number keys
 * costs more per request than the reading it saves for a repeat).
 */
class ReadingCache {
  private readonly mask = 2 * READINGS_KEPT - 1;
  private readonly keys = new Uint32Array(2 * READINGS_KEPT);
  private readonly stamps = new Uint32Array(2 * READINGS_KEPT);
  private readonly values: (Reading | undefined)[] = new Array<Reading | undefined>(2 * READINGS_KEPT).fill(undefined);
  private stamp = 1;
  private size = 0;

  get(key: number): Reading | undefined {
    for (let i = key & this.mask; this.stamps[i] === this.stamp; i = (i + 1) & this.mask) if (this.keys[i] === key) return this.values[i];
    return undefined;
  }

  /** Adds a key not held. */
  add(key: number, reading: Reading): void {
    if (this.size >= READINGS_KEPT) {
      this.stamp++;
      this.size = 0;
      this.values.fill(undefined);
    }
    let i = key & this.mask;
    while (this.stamps[i] === this.stamp) i = (i + 1) & this.mask;
    this.stamps[i] = this.stamp;
    this.keys[i] = key;
    this.values[i] = reading;
    this.size++;
  }
}

const readings = new ReadingCache();

function read(lastUser: string, system: string, systemKey: number, singleTurn: boolean, key: number): Reading {
  const cacheKey = (key ^ (singleTurn ? 0x5bd1e995 : 0)) >>> 0;
  let reading = readings.get(cacheKey);
  if (!reading) {
    const { signals, task } = readPrompt(lastUser, system, systemKey);
    reading = { text: signals, shape: singleTurn ? scanPrompt(lastUser) : NO_SHAPE, task };
    readings.add(cacheKey, reading);
  }
  return reading;
}

/** Never throws: every field is read through the checked parser, whatever the body holds. */
export function requestFeatures(request: TrafficRequest): RequestFeatures {
  const parsed = timestampMs(request.ts);
  const ms = Number.isFinite(parsed) ? parsed : 0;
  const endpoint = typeof request.endpoint === 'string' ? request.endpoint : '';
  const status = typeof request.status === 'number' ? request.status : 200;
  const fields = requestFieldsOf(request.request);
  const roles = rolesOf(fields.turns);
  const refused = REFUSED.has(status);
  const embedding = endpoint.includes('embeddings');
  const singleTurn = roles.assistantTurns === 0;
  // A follow-up is an item only together with the question it follows.
  const system = roles.system === '' ? 0 : promptHash(roles.system, 0);
  // A single turn opens its own thread: its text is hashed as both in one pass.
  const [opening, prompt] =
    roles.firstUser === roles.lastUser ? fnv1aLoosePair(roles.lastUser, lengthSeed(roles.lastUser, 0), lengthSeed(roles.lastUser, system), READ_CHARS) : [promptHash(roles.firstUser, 0), promptHash(roles.lastUser, system)];
  const thread = opening || 1;
  const conversation = singleTurn ? 0 : thread;
  const reading = refused || embedding ? undefined : read(roles.lastUser, roles.system, system, singleTurn, prompt);
  const shape = reading?.shape ?? NO_SHAPE;
  return {
    ms,
    refused,
    status,
    embedding,
    text: reading?.text ?? NOTHING,
    wrappers: shape.wrappers,
    item: (prompt ^ Math.imul(conversation, 0x01000193)) >>> 0,
    itemLines: shape.items,
    system,
    conversation,
    thread,
    task: reading?.task ?? -1,
    singleTurn,
    followUp: singleTurn ? 0 : fnv1a(roles.lastUser.trim().toLowerCase().slice(0, 200)) || 1,
    maxTokens: fields.maxTokens ?? 0,
    temperature: fields.temperature,
    choices: fields.choices,
    logprobs: fields.logprobs,
    logitBias: fields.logitBias,
    seed: fields.seed,
    endUser: fields.user !== undefined,
    lastUserChars: roles.lastUser.length,
  };
}
