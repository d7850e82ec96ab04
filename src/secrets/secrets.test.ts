import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SecretCipher } from './secret-cipher.ts';
import { SecretMasker } from './secret-masker.ts';
import { SecretNotFoundError, SecretStore } from './secret-store.ts';

describe('secrets', () => {
  test('reads SECRET_ environment variables as base64, case-insensitively', () => {
    const store = new SecretStore({ env: { SECRET_GEMINI_API_KEY: Buffer.from('k-123').toString('base64') } });
    assert.equal(store.get('gemini_api_key'), 'k-123');
    assert.equal(store.get('GEMINI_API_KEY'), 'k-123');
  });

  test('skips bad base64 with a warning and explains how to set a missing secret', () => {
    const store = new SecretStore({ env: { SECRET_BAD: 'not base64!!' } });
    assert.match(store.warnings[0] ?? '', /SECRET_BAD/);
    assert.throws(
      () => store.get('bad'),
      (error: unknown) => {
        assert.ok(error instanceof SecretNotFoundError);
        assert.match(error.message, /SECRET_BAD/);
        assert.match(error.message, /--secret BAD=value/);
        return true;
      },
    );
  });

  test('plain values and a secrets file are for local use', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wh-secrets-'));
    const file = join(dir, 'secrets.env');
    writeFileSync(file, '# local\nPG_PASSWORD=hunter22\n');
    const store = new SecretStore({ env: {}, plain: { token: 'abc' }, file });
    assert.equal(store.get('pg_password'), 'hunter22');
    assert.equal(store.get('TOKEN'), 'abc');
  });

  test('masks every occurrence, longest secret first, inside nested values', () => {
    const masker = new SecretMasker();
    masker.add('secret-value');
    masker.add('secret-value-long');
    assert.equal(masker.mask('a secret-value-long b secret-value'), 'a ****** b ******');
    assert.deepEqual(masker.maskDeep({ list: ['x secret-value'], n: 1 }), { list: ['x ******'], n: 1 });
  });

  test('encrypts SECRET inputs with a key kept in the data directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wh-cipher-'));
    const cipher = new SecretCipher(join(dir, 'secret.key'));
    const encrypted = cipher.encrypt('p@ss');
    assert.ok(SecretCipher.isEncrypted(encrypted));
    assert.ok(!encrypted.includes('p@ss'));
    assert.equal(new SecretCipher(join(dir, 'secret.key')).decrypt(encrypted), 'p@ss');
  });
});
