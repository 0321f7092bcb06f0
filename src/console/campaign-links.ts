import type { SharedEvidence } from '../detect/types.js';
import type { LinkEdge } from './api-types.js';

function maskVariable(text: string): string {
  return text.toLowerCase().replace(/\d+(?:[.,]\d+)*/g, '#').replace(/\s+/g, ' ').trim();
}

/** The wrapper around a prompt's variable item: its first line with numbers masked (for marking sample prompts). */
export function skeletonLine(prompt: string): string | null {
  const first = prompt.trim().split('\n', 1)[0] ?? '';
  const masked = maskVariable(first).slice(0, 80);
  return masked.length >= 12 ? masked : null;
}

/**
 * The engine's link evidence as edges a person can read. Accounts sharing a value are joined to
 * the first of them (a star), not to each other: a card shared by 100 accounts then draws 99
 * edges instead of 4,950, and the graph still shows who shares what. One edge per pair and kind
 * of link, so each is drawn in its kind's colour; values of one kind on one pair share an edge.
 */
export function evidenceEdges(evidence: readonly SharedEvidence[]): LinkEdge[] {
  const edges = new Map<string, LinkEdge>();
  for (const shared of evidence) {
    const [hub, ...rest] = shared.accounts;
    for (const other of rest) {
      const key = `${hub}\u0000${other}\u0000${shared.kind}`;
      const edge = edges.get(key) ?? { source: hub!, target: other, reasons: [], kinds: [shared.kind] };
      edge.reasons.push(shared.label);
      edges.set(key, edge);
    }
  }
  return [...edges.values()];
}
