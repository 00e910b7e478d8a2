/**
 * The framework the product is built on, rule by rule: Step 1's questions, both lists of the
 * decision matrix, the final verdict's lists, the hybrid plan and the cost formulas. Each test
 * names the line it implements, quoted as the framework writes it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Answers } from '../../src/decision/answers';
import { costInputsFor } from '../../src/decision/cost-estimate';
import { budgetNote, projectTrainingCost } from '../../src/decision/decision-messages';
import { MATRIX, readMatrix } from '../../src/decision/matrix';
import { threeWeekPlan } from '../../src/decision/plan';
import { decide, type Recommendation } from '../../src/decision/recommendation';

/** The framework's lines the rules implement, verbatim. */
const FRAMEWORK_LINES = [
  'Budget < $1,000',
  'Time to market < 2 weeks',
  'Multiple related tasks',
  'Frequent model updates',
  'Small team (< 5 people)',
  'Experimental/prototyping phase',
  'Creative/artistic applications',
  'Fundamental behavior changes',
  'Performance absolutely critical',
  'Budget > $10,000',
  'Single-task specialization',
  'Long-term stable deployment',
  '95% of full fine-tuning is acceptable',
  'Adding specific skills to base model',
  'Need multiple task variants',
  'Small team (< 5 ML engineers)',
  'Major shift from pre-training domain',
  'For 70B+ parameter models, LoRA becomes almost mandatory',
  'Upgrade to full FT only if critical gap exists',
];

const margin = (a: Answers) => decide(a).margin;
const rec = (a: Answers) => decide(a).recommendation;
const met = (a: Answers) => {
  const m = readMatrix(a);
  return [...m.lora, ...m.full].map((r) => r.id);
};

const yes = { value: 'yes' as const, label: 'Yes' };
const no = { value: 'no' as const, label: 'No' };

describe('Step 1: Assess Your Situation', () => {
  it('"What\'s your training budget? (< $1K = LoRA, > $10K = Consider both)"', () => {
    const small = { budget: { bucket: 'under_1k' as const, usd: 800, label: '$800' } };
    const large = { budget: { bucket: 'over_10k' as const, usd: 20000, label: '$20,000' } };
    assert.ok(margin(small) > margin({}), 'under $1k moves towards LoRA');
    assert.equal(rec(small), 'lora');
    assert.ok(met(small).includes('budget_small'));
    assert.ok(margin(large) < margin({}), 'over $10k makes full fine-tuning worth considering');
    assert.notEqual(rec(large), 'full', 'consider both: a large budget alone does not pick full fine-tuning');
  });

  it('"What\'s your time constraint? (< 2 weeks = LoRA, > 1 month = Both viable)"', () => {
    const short = { timeline: { bucket: '1w_2w' as const, days: 10, label: '10 days' } };
    const week = { timeline: { bucket: 'under_1w' as const, days: 5, label: '5 days' } };
    const long = { timeline: { bucket: 'over_1m' as const, days: 60, label: '2 months' } };
    assert.ok(margin(short) > margin({}));
    assert.ok(margin(week) > margin(short), '"Need results in < 1 week" weighs more');
    assert.ok(met(short).includes('time_short'));
    assert.ok(margin(long) < margin({}), 'more than a month: both viable');
    assert.notEqual(rec(long), 'full');
  });

  it('"Is 95% of full fine-tuning performance acceptable? (Yes = LoRA, No = Full FT)"', () => {
    assert.ok(margin({ performance: yes }) > margin({}));
    assert.equal(rec({ performance: yes }), 'lora');
    assert.equal(rec({ performance: no }), 'full', '"No" alone gives full fine-tuning');
    const otherwiseLora: Answers = {
      budget: { bucket: '1k_10k', usd: 5000, label: '$5,000' },
      timeline: { bucket: '1w_2w', days: 14, label: '2 weeks' },
      variants: yes,
      updates: { value: 'weekly', label: 'Weekly' },
      team: { bucket: 'small', size: 2, label: '2 people' },
    };
    assert.equal(rec(otherwiseLora), 'lora');
    assert.equal(
      rec({ ...otherwiseLora, performance: no }),
      'hybrid',
      'with LoRA favoured otherwise: the hybrid plan',
    );
  });

  it('"Do you need fundamental model behavior changes? (Yes = Full FT, No = LoRA)"', () => {
    assert.ok(margin({ behaviour: yes }) < margin({}));
    assert.equal(rec({ behaviour: yes }), 'full');
    assert.ok(margin({ behaviour: no }) > margin({}));
    assert.ok(met({ behaviour: no }).includes('adds_skills'));
  });

  it('"Will you need multiple task variants? (Yes = LoRA, No = Either)"', () => {
    assert.ok(margin({ variants: yes }) > margin({}));
    assert.ok(met({ variants: yes }).includes('variants'));
    assert.equal(margin({ variants: no }), margin({}), 'no: either, the scores do not move');
  });

  it('"How often will you update the model? (Frequently = LoRA, Rarely = Either)"', () => {
    for (const value of ['weekly', 'monthly'] as const) {
      assert.ok(margin({ updates: { value, label: value } }) > margin({}), value);
      assert.ok(met({ updates: { value, label: value } }).includes('frequent_updates'));
    }
    assert.equal(margin({ updates: { value: 'rarely', label: 'Rarely' } }), margin({}));
  });
});

describe('the decision matrix and the final verdict, both lists', () => {
  it('every entry quotes a line of the framework', () => {
    for (const rule of MATRIX) assert.ok(FRAMEWORK_LINES.includes(rule.quote), rule.quote);
  });

  const loraSide: [string, Answers][] = [
    ['Budget < $1,000', { budget: { bucket: 'under_1k', label: 'Under $1k' } }],
    ['Time to market < 2 weeks', { timeline: { bucket: 'under_1w', label: 'Within a week' } }],
    ['Need multiple task variants', { variants: yes }],
    ['Frequent model updates', { updates: { value: 'weekly', label: 'Weekly' } }],
    ['Small team (< 5 ML engineers)', { team: { bucket: 'small', label: 'Fewer than 5' } }],
    ['Experimental/prototyping phase', { stage: { value: 'prototype', label: 'Prototyping' } }],
    ['95% of full fine-tuning is acceptable', { performance: yes }],
    ['Adding specific skills to base model', { behaviour: no }],
    [
      'For 70B+ parameter models, LoRA becomes almost mandatory',
      { model: { bucket: 'over_60b', paramsB: 70, label: '70B' } },
    ],
  ];
  for (const [quote, answers] of loraSide)
    it(`LoRA wins: "${quote}"`, () => {
      assert.ok(MATRIX.some((r) => r.quote === quote && r.side === 'lora' && r.holds(answers)));
      assert.ok(margin(answers) > margin({}), 'moves the scores towards LoRA');
      assert.equal(rec(answers), 'lora');
    });

  const fullReasons: [string, Answers][] = [
    ['Performance absolutely critical', { performance: no }],
    ['Fundamental behavior changes', { behaviour: yes }],
    ['Major shift from pre-training domain', { domain: yes }],
    [
      'Creative/artistic applications',
      { task: { value: 'creative_writing' as never, label: 'Creative writing' } },
    ],
  ];
  for (const [quote, answers] of fullReasons)
    it(`full fine-tuning wins: "${quote}" (a reason of quality: never plain LoRA)`, () => {
      assert.ok(
        MATRIX.some((r) => r.quote === quote && r.side === 'full' && r.kind === 'reason' && r.holds(answers)),
      );
      assert.ok(margin(answers) < margin({}), 'moves the scores towards full fine-tuning');
      assert.equal(rec(answers), 'full', 'alone, it decides for full fine-tuning');
    });

  const fullConditions: [string, Answers][] = [
    ['Budget > $10,000', { budget: { bucket: 'over_10k', label: 'Over $10k' } }],
    ['Single-task specialization', { variants: no }],
    ['Long-term stable deployment', { updates: { value: 'rarely', label: 'Rarely' } }],
  ];
  for (const [quote, answers] of fullConditions)
    it(`full fine-tuning wins: "${quote}" (a condition: counts with a reason, not alone)`, () => {
      assert.ok(
        MATRIX.some(
          (r) => r.quote === quote && r.side === 'full' && r.kind === 'condition' && r.holds(answers),
        ),
      );
      assert.equal(rec(answers), 'lora');
      assert.equal(rec({ ...answers, performance: no }), 'full');
    });

  it('"Upgrade to full FT only if critical gap exists": one reason of quality against more for LoRA is the hybrid plan', () => {
    const answers: Answers = {
      behaviour: yes,
      budget: { bucket: 'under_1k', label: 'Under $1k' },
      team: { bucket: 'small', label: 'Fewer than 5' },
    };
    const verdict = decide(answers);
    assert.equal(verdict.recommendation, 'hybrid');
    assert.match(verdict.rule, /start with LoRA and upgrade only if the gap is critical/);
  });
});

describe('Step 2 and Step 3', () => {
  it('"LoRA Cost = (Training Hours × $2.50) + (Engineering Time × $150)": one per-task basis for every figure', () => {
    const one: Answers = { model: { bucket: '3b_20b', paramsB: 7, label: '7B' } };
    const { inputs } = costInputsFor(one);
    assert.equal(inputs.lora_gpu_hours, 12 / 5);
    assert.equal(inputs.lora_eng_hours, 20 / 5);
    assert.equal(inputs.lora_infra, 100 / 5);
    assert.equal(inputs.full_gpu_hours, 168 / 5);
    assert.equal(inputs.full_eng_hours, 40 / 5);
    assert.equal(inputs.full_infra, 500 / 5);
    const cost = projectTrainingCost(one);
    assert.equal(cost.lora, 2.4 * 2.5 + 4 * 150 + 20);
    assert.equal(cost.full, 33.6 * 8 + 8 * 150 + 100);
  });

  it('the budget note and the recommendation agree: $800 for one 7B task fits LoRA, not full fine-tuning', () => {
    const answers: Answers = {
      budget: { bucket: 'under_1k', usd: 800, label: '$800' },
      model: { bucket: '3b_20b', paramsB: 7, label: '7B' },
    };
    assert.equal(rec(answers), 'lora');
    const [note] = budgetNote(answers, projectTrainingCost(answers));
    assert.match(
      note ?? '',
      /for one task: LoRA training \(\$626\) fits it; full fine-tuning \(\$1,569\) exceeds it/,
    );
  });

  it('variants multiply the per-task figures; a mixture of experts computes with its active parameters', () => {
    const five = projectTrainingCost({
      variants: yes,
      variantCount: { count: 5, label: '5 variants' },
      model: { bucket: '3b_20b', paramsB: 7, label: '7B' },
    });
    assert.equal(five.tasks, 5);
    assert.ok(
      Math.abs(five.lora - 5 * 626) < 1e-6,
      "five tasks cost five times one: the framework's own five-task total",
    );
    const moe = costInputsFor({
      model: { bucket: '20b_60b', paramsB: 46.7, activeB: 12.9, label: 'Mixtral 8x7B' },
    }).inputs;
    assert.ok(Math.abs(moe.lora_gpu_hours - 2.4 * (12.9 / 7)) < 1e-9);
    assert.ok(Math.abs(moe.full_storage_gb - 13 * (46.7 / 7)) < 1e-9);
  });

  it('"Begin with LoRA (Week 1)", "Evaluate Results (Week 2)", "Make Final Decision (Week 3)"', () => {
    for (const r of ['lora', 'hybrid', 'full'] as Recommendation[]) {
      const weeks = threeWeekPlan({}, r);
      assert.deepEqual(
        weeks.map((w) => w.title.split(':')[0]),
        ['Week 1', 'Week 2', 'Week 3'],
      );
      assert.match(weeks[0]?.title ?? '', /begin with LoRA/);
    }
  });
});
