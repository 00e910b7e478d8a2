import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { parseSecretKey, SecretBox, SecretBoxError } from '../../src/persistence/secret-box.js';

const key = () => Uint8Array.from(randomBytes(32));
const CONTEXT = 'slack-installation.bot.token';

describe('SecretBox (AES-256-GCM, v1 format)', () => {
  it('round-trips a value, with a fresh IV each time', () => {
    const box = new SecretBox(key());
    const a = box.seal('xoxb-123-secret', CONTEXT);
    const b = box.seal('xoxb-123-secret', CONTEXT);
    assert.match(a, /^v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]{22}==:[A-Za-z0-9+/=]+$/);
    assert.notEqual(a, b);
    assert.ok(!a.includes('xoxb'));
    assert.equal(box.open(a, CONTEXT), 'xoxb-123-secret');
    assert.equal(box.open(box.seal('', CONTEXT), CONTEXT), '');
    assert.equal(box.open(box.seal('é✓ long '.repeat(100), CONTEXT), CONTEXT), 'é✓ long '.repeat(100));
    assert.equal(SecretBox.isSealed(a), true);
    assert.equal(SecretBox.isSealed('xoxb-123-secret'), false);
  });

  it('fails clearly with a wrong key, another context, or a plain value', () => {
    const sealed = new SecretBox(key()).seal('xoxb-1', CONTEXT);
    assert.throws(
      () => new SecretBox(key()).open(sealed, CONTEXT),
      (e: Error) =>
        e instanceof SecretBoxError &&
        /does not decrypt: the key differs from the one it was stored with, or the value was altered/.test(
          e.message,
        ),
    );
    const box = new SecretBox(key());
    assert.throws(
      () => box.open(box.seal('xoxb-1', CONTEXT), 'slack-installation.user.token'),
      SecretBoxError,
    );
    assert.throws(() => box.open('xoxb-1', CONTEXT), /is not an encrypted value/);
  });

  it('detects tampering with the IV, the tag or the ciphertext', () => {
    const box = new SecretBox(key());
    const sealed = box.seal('xoxb-tamper-me', CONTEXT);
    const [version, iv, tag, data] = sealed.split(':') as [string, string, string, string];
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      return bytes.toString('base64');
    };
    for (const tampered of [
      [version, flip(iv), tag, data],
      [version, iv, flip(tag), data],
      [version, iv, tag, flip(data)],
    ]) {
      assert.throws(() => box.open(tampered.join(':'), CONTEXT), SecretBoxError);
    }
  });

  it('reads a 32-byte key as hex or base64 and names what is wrong otherwise, never the value', () => {
    const bytes = randomBytes(32);
    for (const form of [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')]) {
      const parsed = parseSecretKey(` ${form} `, 'KEY');
      assert.ok(parsed.ok, form);
      assert.deepEqual(Buffer.from(parsed.value), bytes);
    }
    const problems: [string | undefined, RegExp][] = [
      [undefined, /^KEY: not set; give 32 random bytes/],
      ['', /^KEY: not set/],
      ['ab'.repeat(31), /^KEY: 62 hex characters \(31 bytes\)/],
      [randomBytes(24).toString('base64'), /^KEY: base64 of 24 bytes, not 32/],
      ['correct horse battery staple', /^KEY: neither hex nor base64 \(28 characters\)/],
    ];
    for (const [raw, pattern] of problems) {
      const parsed = parseSecretKey(raw, 'KEY');
      assert.equal(parsed.ok, false);
      if (parsed.ok) continue;
      assert.match(parsed.error, pattern);
      if (raw) assert.ok(!parsed.error.includes(raw));
    }
    assert.throws(() => new SecretBox(new Uint8Array(16)), SecretBoxError);
  });
});
