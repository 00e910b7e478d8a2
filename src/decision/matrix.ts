/**
 * The framework's decision matrix, both lists, and Step 1's rules, as data: each entry says which
 * answer meets it, which method it favours, and the framework's own words. Full fine-tuning's
 * entries are of two kinds: reasons of quality (performance, behaviour, domain, creativity), which
 * alone keep LoRA from being the plain answer, and conditions that make it affordable or worth
 * keeping (budget, one task, stable deployment), which the framework's Step 1 calls "either".
 */
import type { Answers } from './answers';

export type Side = 'lora' | 'full';

export interface MatrixRule {
  id: string;
  side: Side;
  /** For full fine-tuning: a reason of quality, or a condition that only makes it viable. */
  kind: 'reason' | 'condition';
  /** The framework's words, as written. */
  quote: string;
  /** The same in plain words about this project. */
  says: (answers: Answers) => string;
  holds: (answers: Answers) => boolean;
}

const usd = (n: number) => `$${n.toLocaleString('en-US')}`;

export const MATRIX: MatrixRule[] = [
  {
    id: 'budget_small',
    side: 'lora',
    kind: 'reason',
    quote: 'Budget < $1,000',
    says: (a) => `the budget (${a.budget?.label ?? 'under $1k'}) is under $1,000`,
    holds: (a) => a.budget?.bucket === 'under_1k',
  },
  {
    id: 'time_short',
    side: 'lora',
    kind: 'reason',
    quote: 'Time to market < 2 weeks',
    says: (a) => `results are needed within two weeks (${a.timeline?.label ?? ''})`,
    holds: (a) => a.timeline?.bucket === 'under_1w' || a.timeline?.bucket === '1w_2w',
  },
  {
    id: 'share_acceptable',
    side: 'lora',
    kind: 'reason',
    quote: '95% of full fine-tuning is acceptable',
    says: (a) =>
      a.performance?.threshold !== undefined
        ? `${Math.round(a.performance.threshold * 100)}% of full fine-tuning's quality is enough`
        : "95% of full fine-tuning's quality is enough",
    holds: (a) => a.performance?.value === 'yes',
  },
  {
    id: 'adds_skills',
    side: 'lora',
    kind: 'reason',
    quote: 'Adding specific skills to base model',
    says: () => 'the model needs new skills or knowledge, not new behaviour',
    holds: (a) => a.behaviour?.value === 'no',
  },
  {
    id: 'variants',
    side: 'lora',
    kind: 'reason',
    quote: 'Need multiple task variants',
    says: (a) =>
      `you need several variants${a.variantCount ? ` (${a.variantCount.count})` : ''}: one base model and a small adapter each`,
    holds: (a) => a.variants?.value === 'yes',
  },
  {
    id: 'frequent_updates',
    side: 'lora',
    kind: 'reason',
    quote: 'Frequent model updates',
    says: (a) => `the model is retrained often (${a.updates?.label ?? ''})`,
    holds: (a) => a.updates?.value === 'weekly' || a.updates?.value === 'monthly',
  },
  {
    id: 'small_team',
    side: 'lora',
    kind: 'reason',
    quote: 'Small team (< 5 ML engineers)',
    says: (a) => `the team is small (${a.team?.label ?? 'fewer than 5'})`,
    holds: (a) => a.team?.bucket === 'small',
  },
  {
    id: 'prototyping',
    side: 'lora',
    kind: 'reason',
    quote: 'Experimental/prototyping phase',
    says: () => 'you are prototyping',
    holds: (a) => a.stage?.value === 'prototype',
  },
  {
    id: 'very_large_model',
    side: 'lora',
    kind: 'reason',
    quote: 'For 70B+ parameter models, LoRA becomes almost mandatory',
    says: (a) => `the base model is very large (${a.model?.label ?? '60B or more'})`,
    holds: (a) => (a.model?.paramsB !== undefined ? a.model.paramsB >= 70 : a.model?.bucket === 'over_60b'),
  },
  {
    id: 'performance_critical',
    side: 'full',
    kind: 'reason',
    quote: 'Performance absolutely critical',
    says: (a) =>
      a.performance?.threshold !== undefined
        ? `you need ${Math.round(a.performance.threshold * 100)}% of full fine-tuning's quality, more than LoRA's typical 95%`
        : "95% of full fine-tuning's quality is not enough",
    holds: (a) => a.performance?.value === 'no',
  },
  {
    id: 'behaviour_change',
    side: 'full',
    kind: 'reason',
    quote: 'Fundamental behavior changes',
    says: () => 'the model needs a fundamental change of behaviour',
    holds: (a) => a.behaviour?.value === 'yes',
  },
  {
    id: 'domain_shift',
    side: 'full',
    kind: 'reason',
    quote: 'Major shift from pre-training domain',
    says: () => "your data is far from the base model's pre-training text",
    holds: (a) => a.domain?.value === 'yes',
  },
  {
    id: 'creative',
    side: 'full',
    kind: 'reason',
    quote: 'Creative/artistic applications',
    says: () => 'creative writing needs a new generation style',
    holds: (a) => a.task?.value === 'creative_writing',
  },
  {
    id: 'budget_large',
    side: 'full',
    kind: 'condition',
    quote: 'Budget > $10,000',
    says: (a) =>
      `the budget (${a.budget?.usd !== undefined ? usd(a.budget.usd) : (a.budget?.label ?? 'over $10k')}) is over $10,000`,
    holds: (a) => a.budget?.bucket === 'over_10k',
  },
  {
    id: 'single_task',
    side: 'full',
    kind: 'condition',
    quote: 'Single-task specialization',
    says: () => 'there is one task, with no variants',
    holds: (a) => a.variants?.value === 'no',
  },
  {
    id: 'stable_deployment',
    side: 'full',
    kind: 'condition',
    quote: 'Long-term stable deployment',
    says: (a) => `the model will rarely change (${a.updates?.label ?? ''})`,
    holds: (a) => a.updates?.value === 'quarterly' || a.updates?.value === 'rarely',
  },
];

export interface MatrixReading {
  lora: MatrixRule[];
  full: MatrixRule[];
  /** Full fine-tuning's reasons of quality among `full`. */
  reasons: MatrixRule[];
}

export function readMatrix(answers: Answers): MatrixReading {
  const met = MATRIX.filter((r) => r.holds(answers));
  const full = met.filter((r) => r.side === 'full');
  return {
    lora: met.filter((r) => r.side === 'lora'),
    full,
    reasons: full.filter((r) => r.kind === 'reason'),
  };
}
