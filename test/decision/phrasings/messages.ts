/** Several answers in one message, and corrections: what each message is read to say. */
import type { Answers } from '../../../src/decision/answers';

type Partial2 = { [K in keyof Answers]?: Partial<NonNullable<Answers[K]>> };

/** [message, what it answers (a subset of each answer)]. */
export const SEVERAL: [string, Partial2][] = [
  [
    'we have about $5k and two weeks, a 7B model, a support bot with one variant per client, retrained monthly',
    {
      budget: { usd: 5000 },
      timeline: { days: 14 },
      model: { paramsB: 7 },
      task: { value: 'customer_service' as never },
      variants: { value: 'yes' },
      updates: { value: 'monthly' },
    },
  ],
  [
    'budget 20k, deadline end of the quarter, llama 3 70b',
    { budget: { usd: 20000 }, timeline: { days: 83 }, model: { paramsB: 70 } },
  ],
  ['just me, $800, need it by Friday', { team: { size: 1 }, budget: { usd: 800 }, timeline: { days: 2 } }],
  [
    'a team of 6 building a code assistant on mixtral 8x7b',
    {
      team: { size: 6 },
      task: { value: 'code_generation' as never },
      model: { paramsB: 46.7, activeB: 12.9 },
    },
  ],
  [
    'we retrain every sprint and have a couple of weeks',
    { updates: { value: 'monthly' }, timeline: { days: 14 } },
  ],
  [
    'creative writing, quality is critical, 50k budget',
    { task: { value: 'creative_writing' as never }, performance: { value: 'no' }, budget: { usd: 50000 } },
  ],
  [
    'summarization for 5 languages, 13b',
    {
      task: { value: 'technical_documentation' as never },
      variants: { value: 'yes' },
      variantCount: { count: 5 },
      model: { paramsB: 13 },
    },
  ],
  [
    'it is a proof of concept with a few thousand dollars',
    { stage: { value: 'prototype' }, budget: { usd: 3000 } },
  ],
  [
    'good enough is fine, no fundamental change, just one task',
    { performance: { value: 'yes' }, behaviour: { value: 'no' }, variants: { value: 'no' } },
  ],
  [
    '3 ML engineers, 2-3 weeks, gpt-2 small',
    { team: { size: 3 }, timeline: { days: 21 }, model: { paramsB: 0.124 } },
  ],
  ['we update weekly and need results asap', { updates: { value: 'weekly' }, timeline: { days: 1 } }],
  [
    'legal contract review, very specialised jargon, hardly ever retrained',
    { task: { value: 'data_analysis' as never }, domain: { value: 'yes' }, updates: { value: 'rarely' } },
  ],
  [
    '$5-10k for a chatbot for our API docs',
    { budget: { usd: 10000 }, task: { value: 'technical_documentation' as never } },
  ],
  [
    'we need the best possible and have no deadline',
    { performance: { value: 'no' }, timeline: { bucket: 'over_1m' } },
  ],
  [
    'two of us, an MVP, phi-3 mini',
    { team: { size: 2 }, stage: { value: 'prototype' }, model: { paramsB: 3.8 } },
  ],
  [
    'one adapter per department, 8 departments, retrained quarterly',
    { variants: { value: 'yes' }, variantCount: { count: 8 }, updates: { value: 'quarterly' } },
  ],
  [
    'around 2 grand, by the end of the month, not often updated',
    { budget: { usd: 2000 }, timeline: { days: 24 }, updates: { value: 'rarely' } },
  ],
  [
    'text-to-sql on qwen2.5-72b with 20k',
    { task: { value: 'code_generation' as never }, model: { paramsB: 72 }, budget: { usd: 20000 } },
  ],
  [
    'production system, sentiment classification, $1,500',
    { stage: { value: 'production' }, task: { value: 'data_analysis' as never }, budget: { usd: 1500 } },
  ],
  [
    'a small team with a 7b model, by next Friday',
    { team: { bucket: 'small' }, model: { paramsB: 7 }, timeline: { days: 9 } },
  ],
];

/** [answers so far (as messages), correction, what it changes]. */
export const CORRECTIONS: [string, Partial2][] = [
  ['actually the budget is $20k', { budget: { usd: 20000 } }],
  ['sorry, I meant 13B', { model: { paramsB: 13 } }],
  ['no wait, 3 weeks', { timeline: { days: 21 } }],
  ['correction: we are 6 engineers', { team: { size: 6 } }],
  ['make that monthly', { updates: { value: 'monthly' } }],
  ['actually it is a code assistant', { task: { value: 'code_generation' as never } }],
  ['oops, we do need the best possible', { performance: { value: 'no' } }],
  ['actually we have no variants', { variants: { value: 'no' } }],
  ['scratch that, by the end of the quarter', { timeline: { days: 83 } }],
  ['actually 10 variants', { variants: { value: 'yes' }, variantCount: { count: 10 } }],
  ['i meant mixtral 8x22b', { model: { paramsB: 141, activeB: 39 } }],
  ['update: budget is around 2 grand', { budget: { usd: 2000 } }],
  ['actually just me', { team: { size: 1 } }],
  ['on second thought, retrained weekly', { updates: { value: 'weekly' } }],
  ['change of plan: a proof of concept', { stage: { value: 'prototype' } }],
];
