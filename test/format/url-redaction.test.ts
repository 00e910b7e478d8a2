import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { httpUrlProblem, redactUrl, UNPARSEABLE_URL } from '../../src/format/url-redaction';
import { describeServer } from '../../src/persistence/postgres-errors';

describe('redactUrl', () => {
  it('replaces a user name and password, or a password alone, by ***', () => {
    assert.equal(redactUrl('redis://user:secret@h:1/2'), 'redis://***@h:1/2');
    assert.equal(redactUrl('redis://:secret@h:6379'), 'redis://***@h:6379');
    assert.equal(redactUrl('postgres://ci-token@db.internal/faceoff'), 'postgres://***@db.internal/faceoff');
    assert.equal(redactUrl('redis://127.0.0.1:6379'), 'redis://127.0.0.1:6379');
    assert.equal(redactUrl('https://proxy.example.com/api/'), 'https://proxy.example.com/api/');
  });

  const passwords = [
    'Sec@Ret9',
    'Sec:Ret9',
    'Sec%40Ret9',
    'Sec/Ret9',
    'Ab/Cd@Ef',
    'Sec?Ret9',
    'Sec#Ret9',
    '12/Ret9',
  ];
  for (const password of passwords) {
    it(`never prints any part of the password "${password}"`, () => {
      for (const url of [
        `redis://worker:${password}@redis.internal:6380/1`,
        `redis://:${password}@10.0.0.5`,
      ]) {
        const shown = redactUrl(url);
        for (const piece of password.split(/[/:@?#]|%40/).filter((p) => p.length > 1)) {
          assert.ok(!shown.includes(piece), `${url} -> ${shown}`);
        }
        assert.ok(shown === UNPARSEABLE_URL || shown.includes('***@'), `${url} -> ${shown}`);
      }
    });
  }

  it('keeps the host when a password with @ or : still parses', () => {
    assert.equal(redactUrl('redis://worker:p@ss:w@redis.internal:6380'), 'redis://***@redis.internal:6380');
    assert.equal(redactUrl('redis://worker:p%40ss@redis.internal'), 'redis://***@redis.internal');
  });

  it('gives a generic text, never the input, for what does not parse or lost its credentials to the path', () => {
    assert.equal(redactUrl('redis://:secret@bad host:1'), UNPARSEABLE_URL);
    assert.equal(redactUrl('not a url with hunter2'), UNPARSEABLE_URL);
    assert.equal(redactUrl('redis://user:12/secret@host:6379'), UNPARSEABLE_URL);
    assert.equal(redactUrl(''), UNPARSEABLE_URL);
  });

  it('hides secret-looking query values and drops the fragment', () => {
    assert.equal(
      redactUrl('postgres://db/faceoff?sslmode=require&password=hunter2#token=abc'),
      'postgres://db/faceoff?sslmode=require&password=***',
    );
  });
});

describe('URLs in configuration messages', () => {
  it('httpUrlProblem names the problem without echoing what did not parse', () => {
    assert.equal(httpUrlProblem('https://proxy.example.com/api'), null);
    assert.match(httpUrlProblem('slack.com hunter2') ?? '', /^not an http\(s\) URL/);
    assert.ok(!(httpUrlProblem('slack.com hunter2') ?? '').includes('hunter2'));
    assert.equal(httpUrlProblem('ftp://u:hunter2@host/'), 'ftp://***@host/ is not an http(s) URL');
  });

  it('the PostgreSQL location leaves out the password, even one with / in it', () => {
    assert.equal(
      describeServer('postgres://faceoff:s3cr@t@db:5433/app'),
      'postgres://db:5433/app as user faceoff',
    );
    assert.equal(describeServer('postgres://faceoff:12/s3cret@db/app'), UNPARSEABLE_URL);
    assert.equal(describeServer('postgres://faceoff:a/b@db/app'), UNPARSEABLE_URL);
  });
});
