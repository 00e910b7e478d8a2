/**
 * Secrets at rest: AES-256-GCM (node:crypto) with a 32-byte key from the environment, a random
 * 12-byte IV per value, and a versioned text form `v1:<iv>:<tag>:<ciphertext>` (base64) so values
 * written before encryption are recognised. A context string (what the value is) is bound to the
 * ciphertext as associated data: a value moved to another field does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { err, ok, type Result } from '../parsing/result.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED = /^v1:([A-Za-z0-9+/]{16}):([A-Za-z0-9+/]{22}==):([A-Za-z0-9+/]*={0,2})$/;

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

/**
 * A 32-byte key written as 64 hex characters or as base64 (`openssl rand -base64 32`). The error
 * names `variable` and what is wrong with the value, never the value.
 */
export function parseSecretKey(raw: string | undefined, variable: string): Result<Uint8Array> {
  const value = raw?.trim() ?? '';
  const how = 'give 32 random bytes as 64 hex characters or base64 (openssl rand -base64 32)';
  if (!value) return err(`${variable}: not set; ${how}`);
  if (/^[0-9a-f]+$/i.test(value)) {
    return value.length === KEY_BYTES * 2
      ? ok(Uint8Array.from(Buffer.from(value, 'hex')))
      : err(`${variable}: ${value.length} hex characters (${Math.floor(value.length / 2)} bytes); ${how}`);
  }
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    return err(`${variable}: neither hex nor base64 (${value.length} characters); ${how}`);
  }
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== KEY_BYTES) return err(`${variable}: base64 of ${bytes.length} bytes, not 32; ${how}`);
  return ok(Uint8Array.from(bytes));
}

/** Seals and opens values with one key. The key is kept in a private field (never printed). */
export class SecretBox {
  readonly #key: Uint8Array;

  constructor(key: Uint8Array) {
    if (key.length !== KEY_BYTES) throw new SecretBoxError(`a secret box key is ${KEY_BYTES} bytes`);
    this.#key = Uint8Array.from(key);
  }

  /** True for the `v1:` form this box writes (whatever the key). */
  static isSealed(value: string): boolean {
    return SEALED.test(value);
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${data.toString('base64')}`;
  }

  /** The plain value; a SecretBoxError when `sealed` is not in the v1 form or does not open with this key. */
  open(sealed: string, context: string): string {
    const parts = SEALED.exec(sealed);
    if (!parts) throw new SecretBoxError(`${context} is not an encrypted value (v1:...)`);
    const [, iv = '', tag = '', data = ''] = parts;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        `${context} does not decrypt: the key differs from the one it was stored with, or the value was altered`,
      );
    }
  }
}
