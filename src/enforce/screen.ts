import type { Principal } from '../auth/key-registry.js';
import { GatewayError } from '../errors/catalogue.js';
import type { EndpointKind } from '../metering/endpoint.js';
import { MAX_TOKENS_FIELDS, type RequestFields } from '../traffic/request-fields.js';
import type { RequestBody } from '../traffic/types.js';
import type { Decision } from './decision.js';

/** How a request is served under the decision in force: the body to send, and whether to strip reasoning. */
export interface Treatment {
  /** The body as changed (a lower max_tokens), or undefined when it goes as the client sent it. */
  body: RequestBody | undefined;
  withholdReasoning: boolean;
  /** Answers get the provenance mark. */
  mark: boolean;
}

/**
 * The hot-path step: refuses the request (suspended, unverified, risky parameters) or says
 * how to serve it. Called only for accounts with a decision that changes serving. Decides on
 * the parsed fields; the body is touched only to write a lower cap into a copy.
 */
export function screen(decision: Decision, principal: Principal, kind: EndpointKind, fields: RequestFields, body: RequestBody): Treatment {
  const actions = decision.actions;
  if (actions.includes('suspend_account') || (actions.includes('suspend_key') && decision.keys.includes(principal.keyId))) {
    throw new GatewayError('account_suspended', 'This account has been suspended. Contact support to appeal.');
  }
  if (actions.includes('require_verification')) {
    throw new GatewayError('verification_required', 'This account must complete identity verification before it can make further requests.');
  }
  if (actions.includes('refuse_risky_params')) refuseRisky(fields);
  let changed: RequestBody | undefined;
  if (actions.includes('cap_max_tokens') && decision.maxTokensCap !== null && kind !== 'embeddings') {
    const cap = decision.maxTokensCap;
    changed = { ...body };
    // The parser has checked every cap field present is an integer; each one is lowered.
    for (const field of MAX_TOKENS_FIELDS) {
      const value = body[field];
      if (typeof value === 'number') changed[field] = Math.min(value, cap);
    }
    // A request without a limit would get the model's maximum: give it the cap instead.
    if (fields.maxTokensField === undefined) changed[kind === 'responses' ? 'max_output_tokens' : 'max_tokens'] = cap;
  }
  return { body: changed, withholdReasoning: actions.includes('withhold_reasoning'), mark: actions.includes('mark') };
}

function refuseRisky(fields: RequestFields): void {
  const refuse = (param: string, what: string) => {
    throw new GatewayError('parameter_not_allowed', `${what} is not available to this account.`, param);
  };
  if (fields.logprobsParam !== undefined) refuse(fields.logprobsParam, fields.logprobsParam);
  if (fields.logitBias) refuse('logit_bias', 'logit_bias');
  if (fields.choices > 1) refuse('n', 'More than one completion per request (n > 1)');
  if (fields.bestOf !== undefined && fields.bestOf > 1) refuse('best_of', 'best_of > 1');
}
