import { createHash } from 'node:crypto';
import type { EndpointKind } from '../metering/endpoint.js';
import { countTokens } from '../metering/tokenizer.js';
import { promptText } from '../traffic/request-text.js';
import type { RequestBody } from '../traffic/types.js';
import { shapeChoices, type Choice } from './stand-in-choices.js';

export interface Answer {
  /** The first choice's text. */
  text: string;
  /** Every choice, when the answer has more than the first one's text (n > 1, tool calls, JSON). */
  choices?: Choice[];
  usage: { prompt_tokens: number; completion_tokens: number };
  finishReason: string;
  /** An error status to answer with instead (as the recorded upstream did), e.g. 429 or 503. */
  status?: number;
}

/** Where a stand-in's answers come from: made up from the request, or replayed from a log. */
export type AnswerSource = (endpoint: EndpointKind, body: RequestBody) => Answer;

/**
 * The stand-in's own answers: deterministic functions of the request, so a test can compare
 * an answer through Moat with the same call made directly.
 */
export const syntheticAnswer: AnswerSource = (endpoint, body) => {
  if (endpoint === 'embeddings') return { text: '', usage: usageFor(body, ''), finishReason: 'stop' };
  const choices = shapeChoices(endpoint, body, (index) => answerText(body, index));
  // Completion tokens of every choice, as the API bills them; tool-call arguments are output too.
  const output = choices.map((choice) => (choice.text ?? '') + choice.toolCalls.map((call) => call.name + call.arguments).join('')).join('');
  return { text: choices[0]?.text ?? '', choices, usage: usageFor(body, output), finishReason: choices[0]?.finishReason ?? 'stop' };
};

function answerText(body: RequestBody, index: number): string {
  const prompt = promptText(body).replace(/\s+/g, ' ').trim();
  // Choice 0 depends on the prompt alone, so an answer can be compared with the same call made directly.
  const digest = createHash('sha256').update(index === 0 ? prompt : `${prompt}\n${index}`).digest('hex').slice(0, 12);
  const echo = prompt.length > 160 ? `${prompt.slice(0, 160)}…` : prompt;
  const requested = body.max_tokens ?? body.max_completion_tokens ?? body.max_output_tokens;
  const words = `This is Moat's stand-in upstream (no model behind it). Answer ${digest} to: ${echo}`.split(' ');
  // Honour a small max_tokens roughly, as a real model cuts its answer short.
  return typeof requested === 'number' && requested > 0 && requested < words.length ? words.slice(0, requested).join(' ') : words.join(' ');
}

function usageFor(body: RequestBody, completion: string): { prompt_tokens: number; completion_tokens: number } {
  return { prompt_tokens: countTokens(promptText(body)), completion_tokens: countTokens(completion) };
}

/** A unit vector derived from the text, in the float or base64 encoding the client asked for. */
export function embeddingFor(text: string, dimensions: number, encoding: unknown): number[] | string {
  const seed = createHash('sha256').update(text).digest();
  const vector = Array.from({ length: dimensions }, (_, i) => (seed[i % seed.length]! - 127.5) / 127.5);
  const norm = Math.hypot(...vector) || 1;
  const unit = vector.map((v) => v / norm);
  return encoding === 'base64' ? Buffer.from(new Float32Array(unit).buffer).toString('base64') : unit;
}

/** Splits an answer into stream pieces the way models emit tokens: words with their spaces. */
export const streamPieces = (text: string): string[] => text.match(/\S+\s*|\s+/g) ?? [];
