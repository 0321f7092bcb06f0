import type { TrafficRequest } from '../traffic/types.js';

/** A ledger row: the TRAFFIC.md request shape plus what metering needs beyond it. */
export interface LedgerRecord extends TrafficRequest {
  model: string | null;
  stream: boolean;
  /** The client went away before the answer ended; usage is what was served until then. */
  aborted: boolean;
  /** Where the token counts came from: the upstream's own `usage`, or Moat's tokenizer. */
  usage_source: 'upstream' | 'tokenizer' | 'none';
  error_code: string | null;
}

/** The TRAFFIC.md view of a ledger record, as exported and as fed to detection. */
export function toTrafficRequest(record: LedgerRecord): TrafficRequest {
  const { id, ts, account, key, ip, user_agent, endpoint, request, response, usage, status, latency_ms } = record;
  return { id, ts, account, key, ip, user_agent, endpoint, request, response, usage, status, latency_ms };
}

/** What the gateway would have metered for a recorded request: its recorded usage, nothing aborted. */
export function toLedgerRecord(request: TrafficRequest): LedgerRecord {
  return {
    ...request,
    model: typeof request.request.model === 'string' ? request.request.model : null,
    stream: request.request.stream === true,
    aborted: false,
    usage_source: 'upstream',
    error_code: null,
  };
}
