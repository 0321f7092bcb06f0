import type { Usage } from '../traffic/types.js';
import type { EndpointKind } from './endpoint.js';

/** What the ledger keeps of an answer: its first choice's text, why it ended, and usage if the upstream gave it. */
export interface Harvest {
  text: string;
  finishReason: string | null;
  usage: Usage | undefined;
  /**
   * The first choice's tool calls, each name followed by its arguments: output the API bills
   * like text, so an answer of tool calls alone is not metered as free when the upstream
   * reports no usage.
   */
  toolCalls?: string;
}

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

const asNumber = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** Chat, completions and embeddings report prompt/completion tokens; responses report input/output tokens. */
export function readUsage(value: unknown): Usage | undefined {
  const usage = asObject(value);
  if (!usage) return undefined;
  if ('input_tokens' in usage || 'output_tokens' in usage) {
    return { prompt_tokens: asNumber(usage.input_tokens), completion_tokens: asNumber(usage.output_tokens) };
  }
  return { prompt_tokens: asNumber(usage.prompt_tokens), completion_tokens: asNumber(usage.completion_tokens) };
}

function firstChoice(body: Json): Json | undefined {
  const choices = body.choices;
  if (!Array.isArray(choices)) return undefined;
  return asObject(choices.find((choice) => asObject(choice)?.index === 0 || asObject(choice)?.index === undefined));
}

/** The `toolCalls` member of a harvest: absent for an answer without any. */
export const toolCallsOf = (calls: string): Pick<Harvest, 'toolCalls'> => (calls === '' ? {} : { toolCalls: calls });

/** A call's name followed by its arguments, as the API bills them. */
function nameAndArguments(call: Json | undefined): string {
  return (typeof call?.name === 'string' ? call.name : '') + (typeof call?.arguments === 'string' ? call.arguments : '');
}

/** Names and arguments of chat tool calls (or the legacy `function_call`), in order. */
export function chatToolCalls(message: Json | undefined): string {
  if (!message) return '';
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [message.function_call];
  return calls.map((call) => nameAndArguments(asObject(asObject(call)?.function) ?? asObject(call))).join('');
}

/** Names and arguments of a Responses API `output` array's function calls. */
export function responsesToolCalls(output: unknown): string {
  if (!Array.isArray(output)) return '';
  return output.map((item) => asObject(item)).filter((call) => call?.type === 'function_call').map(nameAndArguments).join('');
}

/** The text of a Responses API `output` array: its output_text parts. */
export function responsesOutputText(output: unknown): string {
  if (!Array.isArray(output)) return '';
  let text = '';
  for (const item of output) {
    const content = asObject(item)?.content;
    if (!Array.isArray(content)) continue;
    for (const part of content) {
      const p = asObject(part);
      if (p?.type === 'output_text' && typeof p.text === 'string') text += p.text;
    }
  }
  return text;
}

/** Harvest from a complete (non-streamed) JSON answer. */
export function harvestJson(kind: EndpointKind, value: unknown): Harvest {
  const body = asObject(value) ?? {};
  const usage = readUsage(body.usage);
  switch (kind) {
    case 'chat': {
      const choice = firstChoice(body);
      const message = asObject(choice?.message);
      const content = message?.content;
      return { text: typeof content === 'string' ? content : '', finishReason: (choice?.finish_reason as string) ?? null, usage, ...toolCallsOf(chatToolCalls(message)) };
    }
    case 'completions': {
      const choice = firstChoice(body);
      return { text: typeof choice?.text === 'string' ? choice.text : '', finishReason: (choice?.finish_reason as string) ?? null, usage };
    }
    case 'embeddings':
      return { text: '', finishReason: null, usage: usage && { ...usage, completion_tokens: 0 } };
    case 'responses': {
      const text = typeof body.output_text === 'string' ? body.output_text : responsesOutputText(body.output);
      return { text, finishReason: typeof body.status === 'string' ? body.status : null, usage, ...toolCallsOf(responsesToolCalls(body.output)) };
    }
  }
}
