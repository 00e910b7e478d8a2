import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  FRAMEWORK_PATH,
  FrameworkError,
  loadFramework,
  parseFramework,
  REQUIRED_METHODS,
} from '../../src/tasks/framework';
import { isMethod, METHOD_LABELS, METHOD_SPECS, METHODS, methodSpec } from '../../src/tasks/methods';
import {
  ATTENTION_TARGET_MODULES,
  DEFAULT_LORA_PRESET,
  isTaskId,
  matchTask,
  TASK_IDS,
  TASK_PROFILES,
  taskId,
  taskProfile,
} from '../../src/tasks/profiles';

type Json = Record<string, unknown>;
const FILE = (): Json => JSON.parse(readFileSync(FRAMEWORK_PATH, 'utf8'));

/** The file with one field replaced (`undefined` removes it). */
function broken(path: (string | number)[], value: unknown): Json {
  const raw = FILE();
  let target = raw as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return raw;
}

function refusal(raw: unknown): string {
  try {
    parseFramework(raw);
  } catch (error) {
    assert.ok(error instanceof FrameworkError);
    return error.message;
  }
  assert.fail('the broken file was accepted');
}

describe('framework.json as TypeScript reads it', () => {
  it('gives the task ids, profiles and presets in file order', () => {
    const file = FILE() as { tasks: Json[]; methods: Json[]; default_lora: Json };
    assert.deepEqual(
      TASK_IDS,
      file.tasks.map((t) => t.id),
    );
    for (const entry of file.tasks) {
      const profile = taskProfile(taskId(entry.id as string));
      assert.equal(profile.label, entry.label);
      assert.equal(profile.domainSpecificity, entry.domain_specificity);
      assert.equal(profile.creativityRequired, entry.creativity_required);
      assert.equal(profile.expectedWinner, entry.expected_winner);
      assert.deepEqual(profile.lora, entry.lora);
    }
    assert.deepEqual(DEFAULT_LORA_PRESET, file.default_lora);
    assert.deepEqual(Object.keys(TASK_PROFILES), [...TASK_IDS]);
    assert.deepEqual(
      METHODS,
      file.methods.map((m) => m.id),
    );
    assert.equal(METHOD_LABELS.full, 'Full fine-tuning');
    assert.equal(methodSpec('full').adapter, false);
    assert.deepEqual([...ATTENTION_TARGET_MODULES], ['q_proj', 'k_proj', 'v_proj', 'o_proj']);
  });

  it('always has lora and full, and checks ids', () => {
    for (const method of REQUIRED_METHODS) assert.ok(METHOD_SPECS[method]);
    assert.ok(isMethod('qlora'));
    assert.equal(isMethod('dora'), false);
    assert.equal(isTaskId('poetry'), false);
    assert.throws(() => taskId('poetry'), /"poetry" is not a task in framework\.json \(customer_service, /);
  });

  it('matches typed answers on whole words, as the keyword lists say', () => {
    const cases: [string, string | undefined][] = [
      ['code_generation', 'code_generation'],
      ['Creative-Writing', 'creative_writing'],
      ['our help desk', 'customer_service'],
      ['a helpdesk', 'customer_service'],
      ['call centre scripts', 'customer_service'],
      ['call center', 'customer_service'],
      ['a chat-bot', 'customer_service'],
      ['Python scripts', 'code_generation'],
      ['SQL generation', 'code_generation'],
      ['poetry', 'creative_writing'],
      ['spreadsheet reporting', 'data_analysis'],
      ['BI dashboards', 'data_analysis'],
      ['the API reference', 'technical_documentation'],
      ['services', undefined],
      ['biology', undefined],
      ['gardening', undefined],
    ];
    for (const [text, expected] of cases) assert.equal(matchTask(text), expected, text);
  });

  it('refuses a broken file naming the field', () => {
    const cases: [(string | number)[], unknown, RegExp][] = [
      [['tasks', 2, 'lora', 'r'], 0, /^framework\.json: tasks\[2\]\.lora\.r: /],
      [['tasks', 1, 'lora', 'dropout'], 1, /tasks\[1\]\.lora\.dropout: /],
      [['tasks', 0, 'lora'], undefined, /tasks\[0\]\.lora: /],
      [['tasks', 3, 'id'], 'customer_service', /tasks\[3\]\.id: "customer_service" appears twice/],
      [['tasks', 0, 'id'], 'all', /tasks\[0\]\.id: is reserved/],
      [['tasks', 0, 'id'], 'Customer service', /tasks\[0\]\.id: expected lower-case letters/],
      [['tasks', 4, 'complexity'], 'Extreme', /tasks\[4\]\.complexity: /],
      [
        ['tasks', 0, 'keywords', 1],
        'call (cent',
        /tasks\[0\]\.keywords\[1\]: not a valid regular expression/,
      ],
      [['methods', 1, 'id'], 'dora', /methods: "full" is required/],
      [['methods', 0, 'colour'], 'red', /methods\[0\]: .*colour/],
      [['methods', 2, 'adapter'], 'yes', /methods\[2\]\.adapter: /],
      [['attention_target_modules'], [], /attention_target_modules: /],
    ];
    for (const [path, value, expected] of cases) assert.match(refusal(broken(path, value)), expected);
  });

  it('names the file when it is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faceoff-framework-'));
    try {
      const path = join(dir, 'framework.json');
      writeFileSync(path, '{"tasks": [}');
      assert.throws(
        () => loadFramework(path),
        (error: Error) => {
          assert.ok(error instanceof FrameworkError);
          assert.match(error.message, /^framework\.json: /);
          return true;
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
