import type { DetectionView } from '../detect/types.js';
import { levelOf } from '../detect/verdict.js';
import { LEVEL_RANK } from './decision.js';
import type { Level } from './policy-schema.js';

export interface CampaignCrossing {
  id: string;
  level: Level;
  previous: Level;
  score: number;
  members: string[];
}

/**
 * Follows campaigns' levels (from their own score, not their members'), so a policy can act on
 * the campaign's members at once when the campaign as a whole crosses a level. Linked groups that
 * are not campaigns (a class, a company) are never acted on, and a campaign's actions reach only the
 * members detection flagged: an account merely linked to a campaign is not punished for it.
 */
export class CampaignWatch {
  private readonly levels = new Map<string, Level>();
  private lastMs = 0;
  private owed = false;

  constructor(
    private readonly engine: DetectionView,
    /** Listing campaigns scores every pool: not on every 200 ms drain of a busy gateway. */
    private readonly minIntervalMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  level(id: string): Level | null {
    return this.levels.get(id) ?? null;
  }

  /** The campaigns that rose a level since the last look; looks only if a fed account is in one. */
  update(accounts: ReadonlySet<string>): CampaignCrossing[] {
    if (!this.owed) {
      for (const account of accounts) {
        if (this.engine.assessment(account)?.campaign) {
          this.owed = true;
          break;
        }
      }
    }
    if (!this.owed || this.now() - this.lastMs < this.minIntervalMs) return [];
    this.owed = false;
    this.lastMs = this.now();
    const crossings: CampaignCrossing[] = [];
    for (const campaign of this.engine.campaigns()) {
      if (!campaign.flagged) continue;
      const level = levelOf(campaign.score);
      const previous = this.levels.get(campaign.id) ?? 'none';
      if (LEVEL_RANK[level] <= LEVEL_RANK[previous]) continue;
      this.levels.set(campaign.id, level);
      crossings.push({ id: campaign.id, level, previous, score: campaign.score, members: this.flaggedMembers(campaign.members) });
    }
    return crossings;
  }

  /** Members of a campaign as detection now sees it (for a person acting on the whole campaign). */
  members(id: string): string[] | undefined {
    return this.engine.campaigns().find((campaign) => campaign.id === id)?.members;
  }

  private flaggedMembers(members: readonly string[]): string[] {
    return members.filter((member) => this.engine.assessment(member)?.flagged === true);
  }
}
