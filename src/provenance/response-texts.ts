import { openTrafficSet, readRequests } from '../traffic/traffic-set.js';

/** Each distinct non-empty response text of a traffic set, in log order (replayed and retried answers once). */
export async function responseTexts(dir: string): Promise<string[]> {
  const seen = new Set<string>();
  for await (const request of readRequests(openTrafficSet(dir))) {
    const text = request.response?.text;
    if (typeof text === 'string' && text.trim() !== '') seen.add(text);
  }
  return [...seen];
}
