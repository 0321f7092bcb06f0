/**
 * The one catalogue of errors Moat answers with: each code has its HTTP status and the
 * OpenAI error `type`, so clients' own error classes (openai's AuthenticationError,
 * NotFoundError, ...) recognise them. It sits below every module that raises an error
 * (limits, enforcement, upstream, gateway); only the gateway turns one into an HTTP answer.
 */
export const ERROR_CATALOGUE = {
  invalid_json: { status: 400, type: 'invalid_request_error' },
  invalid_request: { status: 400, type: 'invalid_request_error' },
  invalid_api_key: { status: 401, type: 'invalid_request_error' },
  admin_unauthorized: { status: 401, type: 'invalid_request_error' },
  console_unauthenticated: { status: 401, type: 'invalid_request_error' },
  forbidden: { status: 403, type: 'permission_error' },
  model_not_found: { status: 404, type: 'invalid_request_error' },
  not_found: { status: 404, type: 'invalid_request_error' },
  conflict: { status: 409, type: 'invalid_request_error' },
  method_not_allowed: { status: 405, type: 'invalid_request_error' },
  request_timeout: { status: 408, type: 'invalid_request_error' },
  // Refused by an enforcement action (see src/enforce): a parameter an account under watch may not use.
  parameter_not_allowed: { status: 400, type: 'invalid_request_error' },
  verification_required: { status: 403, type: 'permission_error' },
  account_suspended: { status: 403, type: 'permission_error' },
  request_too_large: { status: 413, type: 'invalid_request_error' },
  url_too_long: { status: 414, type: 'invalid_request_error' },
  unsupported_media_type: { status: 415, type: 'invalid_request_error' },
  headers_too_large: { status: 431, type: 'invalid_request_error' },
  // OpenAI's type says which limit: 'requests' or 'tokens' (given per error).
  rate_limit_exceeded: { status: 429, type: 'requests' },
  insufficient_quota: { status: 429, type: 'insufficient_quota' },
  // Too many failed sign-ins or keys from one address: refused before any secret is checked.
  too_many_auth_failures: { status: 429, type: 'requests' },
  upstream_error: { status: 502, type: 'api_error' },
  upstream_timeout: { status: 504, type: 'api_error' },
  admin_disabled: { status: 503, type: 'api_error' },
  rate_limiter_unavailable: { status: 503, type: 'api_error' },
  shutting_down: { status: 503, type: 'api_error' },
  internal_error: { status: 500, type: 'api_error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class GatewayError extends Error {
  readonly status: number;
  readonly type: string;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly param: string | null = null,
    type: string = ERROR_CATALOGUE[code].type,
  ) {
    super(message);
    this.status = ERROR_CATALOGUE[code].status;
    this.type = type;
  }

  body(): OpenAiErrorBody {
    return openAiError(this.code, this.message, this.param, this.type);
  }
}

/**
 * Something named (an account, a key) does not exist. Raised by the services below the
 * gateway (keys, limits, enforcement); the admin API answers it as `not_found`, the CLI
 * as a message.
 */
export class NotFoundError extends Error {
  constructor(
    readonly what: 'account' | 'key',
    readonly id: string,
  ) {
    super(`no ${what} "${id}"`);
  }
}

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAiError(code: ErrorCode, message: string, param: string | null = null, type: string = ERROR_CATALOGUE[code].type): OpenAiErrorBody {
  return { error: { message, type, param, code } };
}
