import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AdapterPackage, AdapterPackager } from '../../src/comparison/adapter-package';
import {
  type AdapterRun,
  adapterFilename,
  adapterReply,
  chooseAdapterRun,
} from '../../src/comparison/adapter-reply';
import { ok } from '../../src/parsing/result';

const run = (over: Partial<AdapterRun> & { loss?: number }): AdapterRun => ({
  id: `r-${Math.random().toString(36).slice(2, 8)}`,
  task: 'customer_service',
  method: 'lora',
  seed: 0,
  learningRate: 1e-3,
  state: 'completed',
  error: null,
  artifactPath: '/artifacts/x',
  summary: {
    wall_time_s: 1,
    final_eval_loss: over.loss ?? 1,
    metrics: { exact_match: 0.5 },
    primary_metric: 'exact_match',
    lora: { rank: 8, alpha: 16, dropout: 0.05, target_modules: ['q_proj', 'v_proj'] },
    versions: { peft: '0.21.2' },
  },
  ...over,
});

describe('which adapter /faceoff adapter gives', () => {
  it("takes the chosen learning rate's run, and of its seeds the one with the lowest validation loss", () => {
    const runs = [
      run({ learningRate: 1e-3, seed: 0, loss: 0.9 }),
      run({ learningRate: 1e-3, seed: 1, loss: 0.7 }),
      run({ learningRate: 1e-2, seed: 0, loss: 2.5 }),
      run({ learningRate: 1e-2, seed: 1, loss: 2.6 }),
      run({ method: 'full', loss: 0.1 }),
    ];
    const chosen = chooseAdapterRun({ id: 'cmp-1', state: 'completed', runs });
    assert.ok(chosen.ok);
    assert.equal(chosen.value.run.seed, 1);
    assert.equal(chosen.value.run.learningRate, 1e-3);
    assert.equal(chosen.value.seeds, 2);
  });

  it('asks for a task when the job compared several, and refuses methods that make no adapter', () => {
    const runs = [run({ task: 'a' }), run({ task: 'b' }), run({ task: 'a', method: 'full' })];
    const job = { id: 'cmp-2', state: 'completed', runs };
    const several = chooseAdapterRun(job);
    assert.ok(!several.ok);
    assert.match(several.error, /compared 2 tasks; name one: .* one of a, b/);
    const unknown = chooseAdapterRun(job, 'c');
    assert.ok(!unknown.ok);
    assert.match(unknown.error, /no task "c"; its tasks: a, b/);
    const full = chooseAdapterRun(job, 'a', 'full');
    assert.ok(!full.ok);
    assert.match(full.error, /full makes no adapter/);
    const nonsense = chooseAdapterRun(job, 'a', '__proto__');
    assert.ok(!nonsense.ok);
  });

  it('says when no run has finished yet', () => {
    const job = { id: 'cmp-3', state: 'running', runs: [run({ state: 'running', summary: null })] };
    const none = chooseAdapterRun(job);
    assert.ok(!none.ok);
    assert.match(none.error, /no completed LoRA run of customer_service yet \(it is running\)/);
  });

  it('names the archive in characters every platform and shell accept', () => {
    assert.equal(
      adapterFilename('cmp-4', run({ task: 'customer_service/skill:tone', seed: 2 })),
      'cmp-4-customer_service_skill_tone-lora-seed2.tar.gz',
    );
  });

  it('attaches a file that fits, links one that does not, and never invents a link', async () => {
    const job = { id: 'cmp-5', state: 'completed', runs: [run({})], request: { model: 'smollm2-135m' } };
    const packager = (pkg: Partial<AdapterPackage>): AdapterPackager => ({
      pack: async (_run, filename) => ok({ filename, bytes: 2048, ...pkg }),
    });
    const attached = await adapterReply(job, {
      platform: { maxUploadBytes: 10_000 },
      packager: packager({ file: '/tmp/a.tar.gz' }),
    });
    assert.equal(attached[0]?.files?.[0]?.path, '/tmp/a.tar.gz');
    assert.match(
      attached[0]?.text ?? '',
      /Base model: smollm2-135m · rank 8 · alpha 16 · targets q_proj, v_proj · learning rate .* · PEFT 0\.21\.2/,
    );
    assert.match(attached[0]?.text ?? '', /Q4_1 GGUF/);
    const expiresAt = new Date('2026-12-07T10:00:00Z');
    const linked = await adapterReply(job, {
      platform: { maxUploadBytes: 1000 },
      packager: packager({ link: { url: 'https://bucket/x?sig', expiresAt } }),
    });
    assert.equal(linked[0]?.files, undefined);
    assert.match(
      linked[0]?.text ?? '',
      /over this platform's 1000 B upload limit: download it here until 2026-12-07T10:00:00Z .*https:\/\/bucket\/x\?sig/,
    );
    const neither = await adapterReply(job, {
      platform: { maxUploadBytes: 1000 },
      packager: packager({ whereabouts: 'an operator finds it on the bot host' }),
    });
    assert.doesNotMatch(neither[0]?.text ?? '', /https?:/);
    assert.match(neither[0]?.text ?? '', /an operator finds it on the bot host/);
  });

  it('hostile task and method words are names, never lookups or paths', () => {
    const job = { id: 'cmp-6', state: 'completed', runs: [run({ task: 'a' })] };
    for (const task of ['__proto__', 'constructor', '../../etc/passwd', 'a\u0000', 'x'.repeat(100_000)]) {
      const chosen = chooseAdapterRun(job, task);
      assert.ok(!chosen.ok, task.slice(0, 20));
      assert.ok(chosen.error.length < 400, 'the error does not echo a huge value back whole');
    }
    for (const method of ['__proto__', 'toString', 'full;rm -rf /', 'LoRA\u200b']) {
      assert.ok(!chooseAdapterRun(job, 'a', method).ok, method);
    }
    const name = adapterFilename('cmp-6', run({ task: '../../etc/passwd\u0000$(id)', seed: 1 }));
    assert.match(name, /^[\w.-]+$/);
    assert.doesNotMatch(name, /\.\.\//);
  });
});
