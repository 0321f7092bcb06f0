import type { Msg } from 'nats';

/**
 * "Every record this gateway will still publish arrived at or after `ms`": the oldest request it
 * has in flight (or, idle, just after its last one). Infinity when the gateway is shutting down.
 */
export interface Watermark {
  gateway: string;
  ms: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeWatermark(watermark: Watermark): Uint8Array {
  return encoder.encode(JSON.stringify({ gateway: watermark.gateway, ms: Number.isFinite(watermark.ms) ? watermark.ms : null }));
}

export function isWatermark(msg: Pick<Msg, 'headers'>): boolean {
  return msg.headers?.get('Moat-Kind') === 'watermark';
}

export function decodeWatermark(data: Uint8Array): Watermark {
  const parsed = JSON.parse(decoder.decode(data)) as { gateway: string; ms: number | null };
  return { gateway: parsed.gateway, ms: parsed.ms ?? Number.POSITIVE_INFINITY };
}
