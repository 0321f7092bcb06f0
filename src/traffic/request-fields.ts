/**
 * The fields of a request body that Moat itself reads (routing, screening, token reservation,
 * detection), parsed once into one typed shape. A client may send anything: every field is
 * checked by type before any code touches it, so `null` (valid in the OpenAI API for every
 * optional field), a wrong type or an odd array never reaches code that assumes a shape.
 *
 * Parsing never throws. A body Moat cannot serve comes back with a `problem` (param and message,
 * for an OpenAI-style 400); its `fields` are still filled leniently, wrong types read as absent,
 * so a ledger row and detection can use what there is.
 */

export interface Turn {
  /** `system`, `developer`, `user`, `assistant`, `tool`, ... as sent; `user` for a bare prompt. */
  role: string;
  text: string;
}

export interface RequestFields {
  model: string | undefined;
  /** System instructions, history and prompt in order (`instructions`, `messages`, `prompt`, `input`). */
  turns: readonly Turn[];
  /** Characters of all prompt text together. */
  promptChars: number;
  /** The output cap: `max_tokens`, else `max_completion_tokens`, else `max_output_tokens`. */
  maxTokens: number | undefined;
  /** Which field held the output cap, so a rewrite changes the one the client used. */
  maxTokensField: MaxTokensField | undefined;
  /** Completions asked for (`n`), at least 1. */
  choices: number;
  bestOf: number | undefined;
  seed: number | undefined;
  temperature: number | undefined;
  /** Token log-probabilities asked for (`logprobs` true or > 0, or `top_logprobs` > 0). */
  logprobs: boolean;
  /** The field that asked for them, for an error naming it. */
  logprobsParam: 'logprobs' | 'top_logprobs' | undefined;
  /** A non-empty `logit_bias`. */
  logitBias: boolean;
  stream: boolean;
  /** `stream_options.include_usage` is true. */
  includeUsage: boolean;
  /** The end user's id the client passed (`user`). */
  user: string | undefined;
}

export const MAX_TOKENS_FIELDS = ['max_tokens', 'max_completion_tokens', 'max_output_tokens'] as const;
export type MaxTokensField = (typeof MAX_TOKENS_FIELDS)[number];

export interface FieldProblem {
  param: string;
  message: string;
}

export interface ParsedRequest {
  fields: RequestFields;
  problem: FieldProblem | undefined;
}

/** Parts nested deeper than this in one content value are not read (real clients send one level). */
const MAX_PART_DEPTH = 4;

/**
 * Deepest nesting of objects and arrays a body may have. Tool schemas reach a dozen levels;
 * thousands overflow the stack of every recursive reader after this one (JSON.stringify in
 * the ledger among them), so such a body is refused here.
 */
export const MAX_BODY_DEPTH = 64;

type Record_ = Record<string, unknown>;

const isObject = (value: unknown): value is Record_ => typeof value === 'object' && value !== null && !Array.isArray(value);

class Reader {
  problem: FieldProblem | undefined;

  constructor(private readonly body: Record_) {}

  fail(param: string, message: string): undefined {
    this.problem ??= { param, message };
    return undefined;
  }

  string(name: string): string | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    return this.fail(name, `'${name}' must be a string.`);
  }

  number(name: string): number | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    return this.fail(name, `'${name}' must be a number.`);
  }

  integer(name: string, min: number): number | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min) return value;
    return this.fail(name, `'${name}' must be an integer of at least ${min}.`);
  }

  boolean(name: string): boolean | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    return this.fail(name, `'${name}' must be a boolean.`);
  }

  object(name: string): Record_ | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (isObject(value)) return value;
    return this.fail(name, `'${name}' must be an object.`);
  }
}

/**
 * Text of one OpenAI content value: a string, or parts carrying `text` (chat, Responses) or
 * `content`; undefined when it is none of these, for the caller to name the field.
 */
function contentOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? partsTextOf(value, 0) : undefined;
}

/** The text of parts at `depth`: in a nested part, a text that is not a string is nothing to read, not a problem. */
function partsTextOf(value: unknown, depth: number): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    if (depth >= MAX_PART_DEPTH) return '';
    const texts: string[] = [];
    for (const part of value) {
      const text = isObject(part) ? partsTextOf(part.text ?? part.content, depth + 1) : typeof part === 'string' ? part : '';
      if (text !== '') texts.push(text);
    }
    return texts.join('\n');
  }
  if (isObject(value) && depth < MAX_PART_DEPTH) return partsTextOf(value.text ?? value.content, depth + 1);
  return '';
}

/** Field names such as `messages[3].content` are built only for a problem: most bodies have none. */
function messagesOf(list: unknown[], reader: Reader, param: string, turns: Turn[]): void {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isObject(item)) {
      reader.fail(`${param}[${i}]`, `'${param}[${i}]' must be an object with a 'role'.`);
      continue;
    }
    const role = item.role;
    if (typeof role === 'string') {
      const text = contentOf(item.content);
      if (text === undefined) reader.fail(`${param}[${i}].content`, `'${param}[${i}].content' must be a string or an array of content parts.`);
      turns.push({ role, text: text ?? '' });
    }
    // Responses API items without a role (function calls and their outputs) carry no prompt text Moat reads.
    else if (role !== undefined && role !== null) reader.fail(`${param}[${i}].role`, `'${param}[${i}].role' must be a string.`);
    else if (param === 'messages') reader.fail(`${param}[${i}].role`, `'${param}[${i}].role' is required.`);
  }
}

/** A completions `prompt` or embeddings `input`: a string, strings, or token ids (counted, not read). */
function promptOf(value: unknown, reader: Reader, param: string, turns: Turn[]): number {
  if (typeof value === 'string') {
    turns.push({ role: 'user', text: value });
    return 0;
  }
  if (!Array.isArray(value)) {
    reader.fail(param, `'${param}' must be a string or an array.`);
    return 0;
  }
  let tokenIds = 0;
  for (const item of value) {
    if (typeof item === 'string') turns.push({ role: 'user', text: item });
    else if (typeof item === 'number') tokenIds++;
    else if (Array.isArray(item)) tokenIds += item.length;
    else if (isObject(item) && param === 'input') continue;
    else return reader.fail(param, `'${param}' must be a string, an array of strings or an array of token ids.`) ?? tokenIds;
  }
  return tokenIds;
}

/** Adds the body's turns to `turns`; returns the token ids it counted in place of text. */
function turnsOf(body: Record_, reader: Reader, turns: Turn[]): number {
  let tokenIds = 0;
  const instructions = reader.string('instructions');
  if (instructions !== undefined) turns.push({ role: 'system', text: instructions });
  const { messages, prompt, input } = body;
  if (messages !== undefined && messages !== null) {
    if (Array.isArray(messages)) messagesOf(messages, reader, 'messages', turns);
    else reader.fail('messages', "'messages' must be an array of messages.");
  }
  if (prompt !== undefined && prompt !== null) tokenIds += promptOf(prompt, reader, 'prompt', turns);
  if (input !== undefined && input !== null) {
    // Responses take message items; embeddings take strings or token ids.
    if (Array.isArray(input) && input.some(isObject)) messagesOf(input, reader, 'input', turns);
    else tokenIds += promptOf(input, reader, 'input', turns);
  }
  return tokenIds;
}

function logprobsOf(reader: Reader, body: Record_): RequestFields['logprobsParam'] {
  const value = body.logprobs;
  let asked = false;
  // Chat takes a boolean, completions an integer count.
  if (typeof value === 'boolean') asked = value;
  else if (typeof value === 'number' && Number.isInteger(value) && value >= 0) asked = value > 0;
  else if (value !== undefined && value !== null) reader.fail('logprobs', "'logprobs' must be a boolean or a non-negative integer.");
  const top = reader.integer('top_logprobs', 0);
  return asked ? 'logprobs' : top !== undefined && top > 0 ? 'top_logprobs' : undefined;
}

/** The top-level field under which the body nests deeper than MAX_BODY_DEPTH. */
function tooDeep(body: Record_): string | undefined {
  for (const key in body) if (nestsPast(body[key], 2)) return key;
  return undefined;
}

/** Whether `value`, at `depth`, holds an object or array deeper than MAX_BODY_DEPTH; it stops there, so it cannot overflow itself. */
function nestsPast(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth > MAX_BODY_DEPTH) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (nestsPast(value[i], depth + 1)) return true;
    return false;
  }
  for (const child of Object.values(value)) if (nestsPast(child, depth + 1)) return true;
  return false;
}

function logitBiasOf(reader: Reader): boolean {
  const bias = reader.object('logit_bias');
  if (bias === undefined) return false;
  for (const key in bias) {
    if (typeof bias[key] !== 'number') {
      reader.fail('logit_bias', "'logit_bias' must map token ids to numbers.");
      return false;
    }
    return true;
  }
  return false;
}

const EMPTY_FIELDS: RequestFields = {
  model: undefined,
  turns: [],
  promptChars: 0,
  maxTokens: undefined,
  maxTokensField: undefined,
  choices: 1,
  bestOf: undefined,
  seed: undefined,
  temperature: undefined,
  logprobs: false,
  logprobsParam: undefined,
  logitBias: false,
  stream: false,
  includeUsage: false,
  user: undefined,
};

/** Reads the fields Moat uses from a parsed JSON body; never throws. */
export function parseRequestFields(body: unknown): ParsedRequest {
  if (!isObject(body)) return { fields: EMPTY_FIELDS, problem: { param: '', message: 'The request body must be a JSON object.' } };
  const reader = new Reader(body);
  // First, so it is the problem reported: such a body cannot be stored or forwarded as it is.
  const deep = tooDeep(body);
  if (deep !== undefined) reader.fail(deep, `'${deep}' is nested more than ${MAX_BODY_DEPTH} levels deep.`);
  const fields = fieldsOf(body, reader);
  return { fields, problem: reader.problem };
}

/**
 * The fields alone, for a reader that never reports a problem (detection): the depth check is
 * left out, since it walks the whole body and only ever adds a problem. Never throws either.
 */
export function requestFieldsOf(body: unknown): RequestFields {
  return isObject(body) ? fieldsOf(body, new Reader(body)) : EMPTY_FIELDS;
}

function fieldsOf(body: Record_, reader: Reader): RequestFields {
  const model = reader.string('model');
  const turns: Turn[] = [];
  const tokenIds = turnsOf(body, reader, turns);
  // Each cap field is checked, so a wrong type in any is a problem; the first one given is the cap.
  let maxTokens: number | undefined;
  let maxTokensField: MaxTokensField | undefined;
  for (const field of MAX_TOKENS_FIELDS) {
    const value = reader.integer(field, 0);
    if (value !== undefined && maxTokensField === undefined) {
      maxTokens = value;
      maxTokensField = field;
    }
  }
  const streamOptions = reader.object('stream_options');
  const includeUsage = streamOptions?.include_usage;
  if (includeUsage !== undefined && includeUsage !== null && typeof includeUsage !== 'boolean') {
    reader.fail('stream_options.include_usage', "'stream_options.include_usage' must be a boolean.");
  }
  const logprobsParam = logprobsOf(reader, body);
  let promptChars = tokenIds * 4;
  for (const turn of turns) promptChars += turn.text.length;
  return {
    model,
    turns,
    promptChars,
    maxTokens,
    maxTokensField,
    choices: reader.integer('n', 1) ?? 1,
    bestOf: reader.integer('best_of', 1),
    seed: reader.integer('seed', Number.MIN_SAFE_INTEGER),
    temperature: reader.number('temperature'),
    logprobs: logprobsParam !== undefined,
    logprobsParam,
    logitBias: logitBiasOf(reader),
    stream: reader.boolean('stream') ?? false,
    includeUsage: includeUsage === true,
    user: reader.string('user'),
  };
}

/** All prompt text in order, one turn a line: what a tokenizer counts when the upstream gives no usage. */
export function promptTextOf(fields: RequestFields): string {
  let text = '';
  for (const turn of fields.turns) {
    if (turn.text === '') continue;
    text = text === '' ? turn.text : `${text}\n${turn.text}`;
  }
  return text;
}
