/**
 * TypeScript and the Python trainer read the same framework.json: this asks the trainer what its
 * config, suites, presets, methods and CLI actually hold and compares with what TypeScript loaded.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLearningRatePlanner } from '../../jobs/lr-grid';
import { trainerConfigSchema } from '../../jobs/trainer-protocol';
import { METHODS, methodSpec } from '../../src/tasks/methods';
import {
  ATTENTION_TARGET_MODULES,
  DEFAULT_LORA_PRESET,
  TASK_IDS,
  taskProfile,
} from '../../src/tasks/profiles';

const TRAINER_PATH = fileURLToPath(new URL('../../jobs/trainer', import.meta.url));

const PYTHON_SIDE = `
import argparse, json
from faceoff_trainer import cli, config, methods, suites
from faceoff_trainer.framework import method_spec
from faceoff_trainer.lr import load_lr_defaults

commands = next(a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction))
def choices(command, option):
    return list(commands.choices[command]._option_string_actions[option].choices)

print(json.dumps({
    "tasks": list(config.TASKS),
    "dataset_task": config.DATASET_TASK,
    "suites": {task: suite.name for task, suite in suites.SUITES.items()},
    "presets": {task: list(preset) for task, preset in methods.LORA_PRESETS.items()},
    "attention": list(methods.ATTENTION_TARGETS),
    "methods": [
        {"id": m, "adapter": method_spec(m).adapter,
         "quantized_base": method_spec(m).quantized_base, "requires": list(method_spec(m).requires)}
        for m in config.METHODS
    ],
    "lr_grid_methods": choices("lr-grid", "--method"),
    "compare_tasks": choices("compare", "--task"),
    "lr_bucket_methods": [sorted(b["defaults"]) for b in load_lr_defaults()["buckets"]],
}))
`;

interface PythonSide {
  tasks: string[];
  dataset_task: string;
  suites: Record<string, string>;
  presets: Record<string, [number, number, number]>;
  attention: string[];
  methods: { id: string; adapter: boolean; quantized_base: boolean; requires: string[] }[];
  lr_grid_methods: string[];
  compare_tasks: string[];
  lr_bucket_methods: string[][];
}

describe('the trainer and TypeScript agree on framework.json', () => {
  let python: PythonSide;
  before(() => {
    const output = execFileSync(process.env.FACEOFF_PYTHON ?? 'python3', ['-c', PYTHON_SIDE], {
      env: { ...process.env, PYTHONPATH: TRAINER_PATH, HF_HUB_OFFLINE: '1' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    python = JSON.parse(output) as PythonSide;
  });

  it('task ids, suites and LoRA presets', () => {
    assert.deepEqual(python.tasks, [...TASK_IDS]);
    assert.deepEqual(
      python.suites,
      Object.fromEntries(TASK_IDS.map((id) => [id, id])),
      'every task has a suite class named for it',
    );
    for (const id of TASK_IDS) {
      const { r, alpha, dropout } = taskProfile(id).lora;
      assert.deepEqual(python.presets[id], [r, alpha, dropout], id);
    }
    const { r, alpha, dropout } = DEFAULT_LORA_PRESET;
    assert.deepEqual(python.presets[python.dataset_task], [r, alpha, dropout]);
    assert.deepEqual(python.attention, [...ATTENTION_TARGET_MODULES]);
  });

  it('methods and how each trains', () => {
    assert.deepEqual(
      python.methods,
      METHODS.map((id) => {
        const spec = methodSpec(id);
        return {
          id,
          adapter: spec.adapter,
          quantized_base: spec.quantizedBase,
          requires: [...spec.requires],
        };
      }),
    );
  });

  it('the command line offers the same tasks and methods', () => {
    assert.deepEqual(python.lr_grid_methods, [...METHODS]);
    assert.deepEqual(python.compare_tasks, [...TASK_IDS, python.dataset_task]);
  });

  it('every method has learning rates on both sides and passes the trainer contract', () => {
    for (const bucket of python.lr_bucket_methods) assert.deepEqual(bucket, [...METHODS].sort());
    const planner = createLearningRatePlanner();
    const base = { run_id: 'r', task: TASK_IDS[0], model: 'tiny', seed: 0, max_steps: 1 };
    for (const method of METHODS) {
      assert.equal(planner.grid('tiny', method, true).values.length, 3, method);
      assert.ok(trainerConfigSchema.safeParse({ ...base, method }).success, method);
    }
    assert.equal(trainerConfigSchema.safeParse({ ...base, method: 'dora' }).success, false);
  });
});
