import type { LabelRecord, Verdict } from '../traffic/types.js';

export interface AccountMetrics {
  accounts: number;
  extraction: number;
  flagged: number;
  truePositives: number;
  falsePositives: number;
  precision: number;
  recall: number;
  f1: number;
  /** False-positive rate among benign accounts. */
  fpr: number;
  auroc: number;
}

export function accountMetrics(verdicts: Map<string, Verdict>, labels: LabelRecord[]): AccountMetrics {
  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (const label of labels) {
    const flagged = verdicts.get(label.account)?.flagged ?? false;
    if (label.label === 'extraction') positives++;
    if (flagged && label.label === 'extraction') tp++;
    if (flagged && label.label === 'benign') fp++;
  }
  const negatives = labels.length - positives;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = positives === 0 ? 0 : tp / positives;
  return {
    accounts: labels.length,
    extraction: positives,
    flagged: tp + fp,
    truePositives: tp,
    falsePositives: fp,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    fpr: negatives === 0 ? 0 : fp / negatives,
    auroc: auroc(labels.map((l) => ({ score: verdicts.get(l.account)?.score ?? 0, positive: l.label === 'extraction' }))),
  };
}

/** Mann-Whitney AUROC with ties counted half. */
export function auroc(points: { score: number; positive: boolean }[]): number {
  const sorted = [...points].sort((a, b) => a.score - b.score);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) j++;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) {
      if (sorted[k]!.positive) {
        positives++;
        rankSum += rank;
      }
    }
    i = j;
  }
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Per persona/playbook: accounts, flagged, and the share flagged. */
export function breakdown(verdicts: Map<string, Verdict>, labels: LabelRecord[]): { playbook: string; label: string; accounts: number; flagged: number }[] {
  const rows = new Map<string, { playbook: string; label: string; accounts: number; flagged: number }>();
  for (const label of labels) {
    const row = rows.get(label.playbook) ?? { playbook: label.playbook, label: label.label, accounts: 0, flagged: 0 };
    row.accounts++;
    if (verdicts.get(label.account)?.flagged) row.flagged++;
    rows.set(label.playbook, row);
  }
  return [...rows.values()].sort((a, b) => a.playbook.localeCompare(b.playbook));
}
