import { ARTICLE_COST_INPUTS, type CostInputs } from '../cost/inputs';
import type { Answers } from './answers';

/** Representative sizes (billions of parameters) for the size buckets when no number was typed. */
const BUCKET_PARAMS_B = { under_3b: 1.5, '3b_20b': 7, '20b_60b': 34, over_60b: 70, unknown: 7 } as const;
const REFERENCE_PARAMS_B = 7;
const REFERENCE_TASKS = 5;
/** Variants assumed when several are needed but no number was given. */
const ASSUMED_VARIANTS = 3;

export interface DecisionCostInputs {
  inputs: CostInputs;
  basis: string[];
}

/**
 * Cost inputs for one project derived from the answers: the framework's 7B, five-task worked example
 * scaled per task and linearly by parameter count. A planning estimate, labelled as such.
 */
export function costInputsFor(answers: Answers): DecisionCostInputs {
  const typed = answers.model?.paramsB;
  const paramsB = typed ?? BUCKET_PARAMS_B[answers.model?.bucket ?? 'unknown'];
  const scale = paramsB / REFERENCE_PARAMS_B;
  const variants = answers.variants?.value === 'yes' ? ASSUMED_VARIANTS : 1;
  const a = ARTICLE_COST_INPUTS;
  const modelGb = (a.full_storage_gb / REFERENCE_TASKS) * scale;
  const adapterGb = ((a.lora_storage_gb - a.full_storage_gb / REFERENCE_TASKS) / REFERENCE_TASKS) * scale;
  const inputs: CostInputs = {
    ...a,
    full_gpu_hours: (a.full_gpu_hours / REFERENCE_TASKS) * scale * variants,
    lora_gpu_hours: (a.lora_gpu_hours / REFERENCE_TASKS) * scale * variants,
    full_storage_gb: modelGb * variants,
    lora_storage_gb: modelGb + adapterGb * variants,
    full_serving_gb: a.full_serving_gb * scale * variants,
    lora_serving_gb: a.lora_serving_gb * scale,
  };
  const sizeSource =
    typed !== undefined
      ? `your answer (${paramsB}B)`
      : `the "${answers.model?.label ?? 'not sure'}" bucket, taken as ${paramsB}B`;
  return {
    inputs,
    basis: [
      `Model size: ${sizeSource}; GPU hours, storage and serving memory scale linearly from the framework's 7B example.`,
      `Per task: the framework's five-task GPU hours divided by five; ${variants} variant${variants === 1 ? '' : 's'} (${variants === 1 ? 'one task' : 'several variants assumed as 3'}).`,
      "Rates (GPU $/hour, engineering $/hour, $/GB-hour) are the framework's defaults. Run /faceoff cost key=value with your own numbers, or /faceoff compare to measure GPU hours.",
    ],
  };
}
