import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileModelPolicy, readModelPolicySettings } from '../../jobs/model-policy';

describe('model policy', () => {
  let root: string;
  let policy: FileModelPolicy;
  const refusal = (model: string) => policy.refusal(model);

  before(async () => {
    root = await realpath(await mkdtemp(path.join(tmpdir(), 'faceoff-models-')));
    for (const dir of [
      'models/llama',
      'models/artifacts/t1/run',
      'outside/secret',
      'data/artifacts',
      'data/datasets',
    ])
      await mkdir(path.join(root, dir), { recursive: true });
    await writeFile(path.join(root, 'models/weights.bin'), 'not a directory');
    await symlink(path.join(root, 'outside/secret'), path.join(root, 'models/escape'));
    await symlink(path.join(root, 'data/artifacts'), path.join(root, 'models/team-artifacts'));
    policy = new FileModelPolicy({
      allow: ['HuggingFaceTB/*', 'meta-llama/Llama-3*'],
      roots: [path.join(root, 'models'), path.join(root, 'data')],
      forbidden: [path.join(root, 'data/artifacts'), path.join(root, 'data/datasets')],
      cwd: root,
    });
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('accepts the built-in names and allowed hub ids', async () => {
    assert.deepEqual(await policy.locate('tiny'), { ok: true, value: { kind: 'builtin', name: 'tiny' } });
    assert.deepEqual(await policy.locate('HuggingFaceTB/SmolLM2-135M'), {
      ok: true,
      value: { kind: 'hub', id: 'HuggingFaceTB/SmolLM2-135M' },
    });
    assert.ok((await policy.locate('meta-llama/Llama-3.1-8B')).ok);
  });

  it('offers the built-in name a bare word most likely meant, never for a hub id or a path', async () => {
    for (const [model, meant] of [
      ['smollm2', 'smollm2-135m'],
      ['tiny_s', 'tiny-s'],
      ['tinyl', 'tiny or tiny-l'],
      ['SmolLM', 'smollm2-135m'],
    ] as const) {
      const located = await policy.locate(model);
      assert.equal(located.ok, false, model);
      assert.match(
        located.ok ? '' : located.error,
        new RegExp(`^model: "${model}" is not available here \\(did you mean ${meant}\\?\\): use `),
      );
    }
    for (const model of ['gpt-4o', './tiny-s', 'evil/tiny-s'])
      assert.doesNotMatch(refusal(model), /did you mean/, model);
  });

  it('refuses hub ids outside the allow-list, and ones that are paths in disguise', async () => {
    for (const model of ['meta-llama/Llama-2-7b-hf', 'evil/model', 'HuggingFaceTB/..', 'HuggingFaceTB/a/b'])
      assert.deepEqual(await policy.locate(model), { ok: false, error: refusal(model) }, model);
  });

  it('accepts a directory under a model root and hands the worker its real path', async () => {
    const located = await policy.locate('./models/llama');
    assert.deepEqual(located, { ok: true, value: { kind: 'local', path: path.join(root, 'models/llama') } });
    assert.ok((await policy.locate(path.join(root, 'models/llama'))).ok);
  });

  it('gives one answer for missing, outside, linked-out, forbidden and non-directory paths', async () => {
    const cases = [
      './models/missing',
      './outside/secret',
      '../../etc',
      '/etc',
      '/root/.ssh',
      './models/escape',
      './models/team-artifacts',
      './data/artifacts',
      './data/artifacts/../artifacts',
      './data/datasets',
      './data',
      './models/weights.bin',
      'models/llama',
      './models/llama\0',
    ];
    for (const model of cases) {
      const located = await policy.locate(model);
      assert.deepEqual(located, { ok: false, error: refusal(model) }, model);
    }
    assert.equal(
      refusal('./models/missing').replace('./models/missing', 'X'),
      refusal('./outside/secret').replace('./outside/secret', 'X'),
      'the same words whether the path exists or not',
    );
  });

  it('with no configuration: built-in models only, and the refusal says how to allow more', async () => {
    const closed = new FileModelPolicy(readModelPolicySettings({}, []));
    assert.ok((await closed.locate('tiny')).ok);
    assert.deepEqual(await closed.locate('smollm2-135m'), {
      ok: true,
      value: { kind: 'builtin', name: 'smollm2-135m' },
    });
    const hub = await closed.locate('HuggingFaceTB/SmolLM2-135M');
    assert.ok(!hub.ok);
    assert.match(hub.error, /FACEOFF_MODEL_ALLOW; none are allowed now/);
    assert.match(hub.error, /FACEOFF_MODEL_ROOTS; none are configured/);
    assert.throws(
      () => readModelPolicySettings({ FACEOFF_MODEL_ALLOW: 'org/*,bad pattern' }, []),
      /not a pattern/,
    );
  });
});
