import { ARTICLE_COST_INPUTS, type CostInputs } from '../cost/inputs';
import type { Answers } from './answers';

/** Representative sizes (billions of parameters) for the size buckets when no number was typed. */
const BUCKET_PARAMS_B = { under_3b: 1.5, '3b_20b': 7, '20b_60b': 34, over_60b: 70, unknown: 7 } as const;
const REFERENCE_PARAMS_B = 7;
/** The framework's worked example trains five tasks; every figure of it is divided by five. */
const REFERENCE_TASKS = 5;
/** Variants assumed when several are needed but no number was given. */
export const ASSUMED_VARIANTS = 3;

export interface DecisionCostInputs {
  inputs: CostInputs;
  /** Fine-tunes the estimate covers (variants, or one task). */
  tasks: number;
  basis: string[];
}

/** How many fine-tunes the project needs: its variants, or one. */
export function taskCount(answers: Answers): number {
  if (answers.variants?.value !== 'yes') return 1;
  return answers.variantCount?.count ?? ASSUMED_VARIANTS;
}

/**
 * Cost inputs for one project derived from the answers, on one basis throughout: the framework's
 * five-task worked example divided by five per task (GPU hours, engineering hours and
 * infrastructure alike), times the number of variants, with GPU hours, storage and serving memory
 * scaled linearly by parameter count from its 7B model. For a mixture of experts, GPU hours scale
 * with the parameters active per token, storage and memory with all of them. A planning
 * estimate, labelled as such.
 */
export function costInputsFor(answers: Answers): DecisionCostInputs {
  const typed = answers.model?.paramsB;
  const paramsB = typed ?? BUCKET_PARAMS_B[answers.model?.bucket ?? 'unknown'];
  const activeB = answers.model?.activeB ?? paramsB;
  const scale = paramsB / REFERENCE_PARAMS_B;
  const computeScale = activeB / REFERENCE_PARAMS_B;
  const tasks = taskCount(answers);
  const a = ARTICLE_COST_INPUTS;
  const perTask = (value: number) => (value / REFERENCE_TASKS) * tasks;
  const modelGb = (a.full_storage_gb / REFERENCE_TASKS) * scale;
  const adapterGb = ((a.lora_storage_gb - a.full_storage_gb / REFERENCE_TASKS) / REFERENCE_TASKS) * scale;
  const inputs: CostInputs = {
    ...a,
    full_gpu_hours: perTask(a.full_gpu_hours) * computeScale,
    lora_gpu_hours: perTask(a.lora_gpu_hours) * computeScale,
    full_eng_hours: perTask(a.full_eng_hours),
    lora_eng_hours: perTask(a.lora_eng_hours),
    full_infra: perTask(a.full_infra),
    lora_infra: perTask(a.lora_infra),
    full_storage_gb: modelGb * tasks,
    lora_storage_gb: modelGb + adapterGb * tasks,
    full_serving_gb: a.full_serving_gb * scale * tasks,
    lora_serving_gb: a.lora_serving_gb * scale,
  };
  const sizeSource =
    typed !== undefined
      ? `your answer (${paramsB}B${answers.model?.activeB ? `, ${activeB}B active per token` : ''})`
      : `the "${answers.model?.label ?? 'not sure'}" bucket, taken as ${paramsB}B`;
  const variantsSource =
    tasks === 1
      ? 'one task'
      : answers.variantCount
        ? `${tasks} variants, your answer`
        : `several variants, taken as ${ASSUMED_VARIANTS}`;
  return {
    inputs,
    tasks,
    basis: [
      `Model size: ${sizeSource}; GPU hours${answers.model?.activeB ? ' scale with the active parameters,' : ''} storage and serving memory scale linearly from the framework's 7B example.`,
      `Per task: the framework's five-task figures divided by five (GPU hours, engineering hours and infrastructure alike), times ${variantsSource}.`,
      "Rates (GPU $/hour, engineering $/hour, $/GB-hour) are the framework's defaults. Run /faceoff cost key=value with your own numbers, or /faceoff compare to measure GPU hours.",
    ],
  };
}
