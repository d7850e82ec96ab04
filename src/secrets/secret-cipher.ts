import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const PREFIX = 'wh-enc:v1:';

/**
 * Encrypts SECRET-type input values before they are stored (AES-256-GCM with a key file in
 * the data directory, created on first use with mode 0600), so the database never holds them
 * in plain text, and a restarted engine can still use them.
 */
export class SecretCipher {
  readonly #key: Buffer;

  constructor(keyFile: string) {
    if (existsSync(keyFile)) {
      this.#key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
    } else {
      mkdirSync(dirname(keyFile), { recursive: true });
      this.#key = randomBytes(32);
      writeFileSync(keyFile, this.#key.toString('base64'), { mode: 0o600 });
      chmodSync(keyFile, 0o600);
    }
    if (this.#key.length !== 32) throw new Error(`secret key file ${keyFile} is damaged: expected 32 bytes of base64`);
  }

  static isEncrypted(value: unknown): value is string {
    return typeof value === 'string' && value.startsWith(PREFIX);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  decrypt(value: string): string {
    const raw = Buffer.from(value.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
