import type { MoatConfig } from '../config/schema.js';
import { GatewayError } from '../errors/catalogue.js';
import { isExactModel, matchesModel } from './model-pattern.js';
import { UpstreamClient } from './upstream-client.js';

/** Chooses the upstream from the model name; the client never names a host. */
export class UpstreamRouter {
  private readonly routes: { name: string; patterns: readonly string[]; client: UpstreamClient }[];

  constructor(private readonly config: MoatConfig) {
    this.routes = config.upstreams.map((upstream) => ({ name: upstream.name, patterns: upstream.models, client: new UpstreamClient(upstream) }));
  }

  /** Unknown and forbidden models get the same answer, so a key cannot probe what exists. */
  route(model: unknown, tier: string): UpstreamClient {
    return this.match(model, tier).client;
  }

  /** One model a tier may use, named by the upstream that serves it; model_not_found otherwise. */
  findModel(model: string, tier: string): { id: string; owned_by: string } {
    return { id: model, owned_by: this.match(model, tier).name };
  }

  private match(model: unknown, tier: string): (typeof this.routes)[number] {
    if (typeof model !== 'string' || model === '') {
      throw new GatewayError('invalid_request', 'You must provide a model parameter.', 'model');
    }
    const route = this.routes.find((candidate) => candidate.patterns.some((pattern) => matchesModel(pattern, model)));
    if (!route || !this.tierAllows(tier, model)) {
      throw new GatewayError('model_not_found', `The model \`${model}\` does not exist or you do not have access to it.`, 'model');
    }
    return route;
  }

  /** The models a tier may use, as far as config names them exactly. */
  listModels(tier: string): { id: string; owned_by: string }[] {
    const models: { id: string; owned_by: string }[] = [];
    for (const upstream of this.config.upstreams) {
      for (const pattern of upstream.models) {
        if (isExactModel(pattern) && this.tierAllows(tier, pattern) && !models.some((m) => m.id === pattern)) {
          models.push({ id: pattern, owned_by: upstream.name });
        }
      }
    }
    return models;
  }

  private tierAllows(tier: string, model: string): boolean {
    const allowed = this.config.tiers[tier]?.models ?? [];
    return allowed.some((pattern) => matchesModel(pattern, model));
  }

  async close(): Promise<void> {
    await Promise.all(this.routes.map((route) => route.client.close()));
  }
}
