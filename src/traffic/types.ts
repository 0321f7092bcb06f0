/**
 * The records of the traffic format (shared/TRAFFIC.md): what the gateway's ledger exports,
 * what `moat analyze` replays, what the evaluation sets hold.
 */

export interface ChatMessage {
  role: string;
  content?: unknown;
  [field: string]: unknown;
}

/** The request body exactly as the client sent it; only the fields Moat reads are typed. */
export interface RequestBody {
  model?: string;
  messages?: ChatMessage[];
  prompt?: unknown;
  input?: unknown;
  instructions?: string;
  max_tokens?: number;
  max_completion_tokens?: number;
  max_output_tokens?: number;
  n?: number;
  seed?: number;
  logprobs?: boolean | number;
  top_logprobs?: number;
  logit_bias?: Record<string, number>;
  temperature?: number;
  stream?: boolean;
  user?: string;
  [field: string]: unknown;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface TrafficRequest {
  id: string;
  /** ISO-8601 UTC with milliseconds: when the request arrived. */
  ts: string;
  account: string;
  /** The key's id, never its secret. */
  key: string;
  ip: string;
  user_agent: string;
  endpoint: string;
  request: RequestBody;
  response: { text: string; finish_reason: string | null };
  usage: Usage;
  status: number;
  latency_ms: number;
}

export interface AccountRecord {
  account: string;
  created_at: string;
  tier: string;
  country: string | null;
  email_domain: string | null;
  payment_fingerprint: string | null;
  signup_ip: string | null;
  verified: boolean;
}

export interface LabelRecord {
  account: string;
  label: 'extraction' | 'benign';
  campaign: string | null;
  playbook: string;
}

export interface Verdict {
  account: string;
  flagged: boolean;
  score: number;
  first_flagged_at: string | null;
  campaign: string | null;
  reasons: string[];
}
