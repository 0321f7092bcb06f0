import { createHash } from 'node:crypto';
import type { EndpointKind } from '../metering/endpoint.js';
import type { RequestBody } from '../traffic/types.js';
import { fillSchema } from './schema-fill.js';

export interface ToolCall {
  id: string;
  name: string;
  /** JSON text, as the API sends it. */
  arguments: string;
}

/** One choice of an answer: text (null when the model only calls tools), its tool calls, why it ended. */
export interface Choice {
  text: string | null;
  toolCalls: ToolCall[];
  finishReason: string;
}

interface Tool {
  name: string;
  description: string;
  parameters: unknown;
}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined);

/** OpenAI's bound on `n`. */
export const MAX_CHOICES = 128;

/**
 * What a model would answer in shape, if not in substance: `n` choices; a tool call when
 * tools are offered and tool_choice allows one (unless the conversation just returned a
 * tool's result, so agent loops end); JSON matching response_format / text.format.
 * `textFor(i)` is choice i's plain text.
 */
export function shapeChoices(endpoint: EndpointKind, body: RequestBody, textFor: (index: number) => string): Choice[] {
  const count = endpoint === 'responses' || endpoint === 'embeddings' ? 1 : typeof body.n === 'number' ? body.n : 1;
  return Array.from({ length: count }, (_, index) => {
    if (endpoint === 'chat' || endpoint === 'responses') {
      const tool = chosenTool(endpoint, body);
      if (tool) return { text: null, toolCalls: [toolCall(tool, body, index)], finishReason: 'tool_calls' };
    }
    return { text: structured(endpoint, body, textFor(index)), toolCalls: [], finishReason: 'stop' };
  });
}

function tools(endpoint: EndpointKind, body: RequestBody): Tool[] {
  if (!Array.isArray(body.tools)) return [];
  const found: Tool[] = [];
  for (const entry of body.tools) {
    const tool = asObject(entry);
    if (tool?.type !== 'function') continue;
    // Chat nests the function; the Responses API puts its fields on the tool itself.
    const fn = endpoint === 'chat' ? asObject(tool.function) : tool;
    if (typeof fn?.name !== 'string') continue;
    found.push({ name: fn.name, description: typeof fn.description === 'string' ? fn.description : '', parameters: fn.parameters ?? { type: 'object', properties: {} } });
  }
  return found;
}

function chosenTool(endpoint: EndpointKind, body: RequestBody): Tool | undefined {
  const offered = tools(endpoint, body);
  if (offered.length === 0) return undefined;
  const choice = body.tool_choice;
  if (choice === 'none') return undefined;
  const named = asObject(choice);
  if (named) {
    const name = endpoint === 'chat' ? asObject(named.function)?.name : named.name;
    return offered.find((tool) => tool.name === name);
  }
  if (choice !== 'required' && lastTurnIsToolResult(endpoint, body)) return undefined;
  // Like a model, prefer the tool the user's words point at ("weather" picks get_weather).
  const words = new Set(lastUserText(endpoint, body).toLowerCase().match(/[a-z0-9]+/g) ?? []);
  const score = (tool: Tool) => nameWords(tool.name).filter((word) => words.has(word)).length;
  return offered.reduce((best, tool) => (score(tool) > score(best) ? tool : best));
}

const VERBS = new Set(['get', 'set', 'fetch', 'find', 'list', 'make', 'run', 'do', 'call', 'lookup', 'search']);
/** getWeather, get_weather, get-weather: ["weather"]. */
const nameWords = (name: string): string[] =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 1 && !VERBS.has(word));

function lastTurnIsToolResult(endpoint: EndpointKind, body: RequestBody): boolean {
  if (endpoint === 'chat') return body.messages?.at(-1)?.role === 'tool';
  return Array.isArray(body.input) && asObject(body.input.at(-1))?.type === 'function_call_output';
}

function lastUserText(endpoint: EndpointKind, body: RequestBody): string {
  const turns: unknown[] = endpoint === 'chat' ? (body.messages ?? []) : Array.isArray(body.input) ? body.input : [body.input];
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i];
    if (typeof turn === 'string') return turn;
    const message = asObject(turn);
    if (message?.role !== 'user') continue;
    return typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? '');
  }
  return '';
}

function toolCall(tool: Tool, body: RequestBody, index: number): ToolCall {
  const args = JSON.stringify(fillSchema(tool.parameters, tool.name));
  const id = `call_${createHash('sha256').update(`${tool.name}\n${args}\n${index}\n${JSON.stringify(body.messages ?? body.input ?? '')}`).digest('hex').slice(0, 24)}`;
  return { id, name: tool.name, arguments: args };
}

/** The text as JSON when the request asks for JSON (chat's response_format, the Responses API's text.format). */
function structured(endpoint: EndpointKind, body: RequestBody, text: string): string {
  const format = endpoint === 'responses' ? asObject(asObject(body.text)?.format) : asObject(body.response_format);
  if (format?.type === 'json_object') return JSON.stringify({ answer: text });
  if (format?.type !== 'json_schema') return text;
  // Chat wraps the schema ({json_schema: {name, schema}}); the Responses API does not.
  const schema = endpoint === 'responses' ? format.schema : asObject(format.json_schema)?.schema;
  return JSON.stringify(fillSchema(schema ?? { type: 'object' }));
}
