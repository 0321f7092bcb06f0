import { createHash, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'moat-sk-';
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A plain SHA-256 is enough here, unlike for passwords: the secret carries 192 random bits,
 * so there is nothing to guess from the hash, and the hot path pays a microsecond, not a KDF.
 */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function newSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString('base64url');
}

/** Enough of the secret to tell keys apart in a list, too little to use. */
export const displayPrefix = (secret: string): string => secret.slice(0, SECRET_PREFIX.length + 4);

export function newId(prefix: string, length = 12): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}
