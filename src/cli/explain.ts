import { createEngine, replay } from '../detect/index.js';

/** Replays a set through the engine and prints the evidence it holds on one account. */
export async function runExplain(dir: string, account: string): Promise<string> {
  const engine = createEngine();
  await replay(dir, engine);
  const a = engine.assessment(account);
  if (!a) throw new Error(`${account}: no such account in ${dir}`);
  const lines = [
    `account   ${a.account}`,
    `score     ${a.score} (${a.level})`,
    `flagged   ${a.flagged ? `yes, first at ${a.firstFlaggedAt}` : 'no'}`,
    `requests  ${a.requests}`,
    `campaign  ${a.campaign ?? '-'}`,
    '',
    'evidence (at the account\'s peak score):',
    ...a.reasons.map((r) => `  - ${r.signal.padEnd(24)} ${String(Math.round(r.value * 1000) / 1000).padStart(8)}  ${r.text}`),
  ];
  const campaign = engine.campaigns().find((c) => c.id === a.campaign);
  if (campaign) {
    lines.push('', `campaign ${campaign.id}: ${campaign.members.length} accounts, score ${campaign.score}, linked by ${campaign.links.join(', ')}`);
    lines.push(`  members: ${campaign.members.slice(0, 20).join(' ')}${campaign.members.length > 20 ? ' ...' : ''}`);
  }
  return lines.join('\n') + '\n';
}
