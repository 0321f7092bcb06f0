import type { Principal } from '../auth/key-registry.js';
import { GatewayError } from '../gateway/errors.js';
import type { EndpointKind } from '../metering/endpoint.js';
import type { RequestBody } from '../traffic/types.js';
import type { Decision } from './decision.js';

/** How a request is served under the decision in force: the body to send, and whether to strip reasoning. */
export interface Treatment {
  /** The body as changed (a lower max_tokens), or undefined when it goes as the client sent it. */
  body: RequestBody | undefined;
  withholdReasoning: boolean;
}

const MAX_TOKEN_FIELDS = ['max_tokens', 'max_completion_tokens', 'max_output_tokens'] as const;

/**
 * The hot-path step: refuses the request (suspended, unverified, risky parameters) or says
 * how to serve it. Called only for accounts with a decision that changes serving.
 */
export function screen(decision: Decision, principal: Principal, kind: EndpointKind, body: RequestBody): Treatment {
  const actions = decision.actions;
  if (actions.includes('suspend_account') || (actions.includes('suspend_key') && decision.keys.includes(principal.keyId))) {
    throw new GatewayError('account_suspended', 'This account has been suspended. Contact support to appeal.');
  }
  if (actions.includes('require_verification')) {
    throw new GatewayError('verification_required', 'This account must complete identity verification before it can make further requests.');
  }
  if (actions.includes('refuse_risky_params')) refuseRisky(body);
  let changed: RequestBody | undefined;
  if (actions.includes('cap_max_tokens') && decision.maxTokensCap !== null && kind !== 'embeddings') {
    const cap = decision.maxTokensCap;
    changed = { ...body };
    let set = false;
    for (const field of MAX_TOKEN_FIELDS) {
      const value = body[field];
      if (typeof value === 'number') {
        changed[field] = Math.min(value, cap);
        set = true;
      }
    }
    // A request without a limit would get the model's maximum: give it the cap instead.
    if (!set) changed[kind === 'responses' ? 'max_output_tokens' : 'max_tokens'] = cap;
  }
  return { body: changed, withholdReasoning: actions.includes('withhold_reasoning') };
}

function refuseRisky(body: RequestBody): void {
  const refuse = (param: string, what: string) => {
    throw new GatewayError('parameter_not_allowed', `${what} is not available to this account.`, param);
  };
  if (body.logprobs === true || (typeof body.logprobs === 'number' && body.logprobs > 0)) refuse('logprobs', 'logprobs');
  if (body.top_logprobs !== undefined && body.top_logprobs !== null && body.top_logprobs !== 0) refuse('top_logprobs', 'top_logprobs');
  if (typeof body.logit_bias === 'object' && body.logit_bias !== null && Object.keys(body.logit_bias).length > 0) refuse('logit_bias', 'logit_bias');
  if (typeof body.n === 'number' && body.n > 1) refuse('n', 'More than one completion per request (n > 1)');
  if (typeof body.best_of === 'number' && body.best_of > 1) refuse('best_of', 'best_of > 1');
}
