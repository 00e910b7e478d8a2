/**
 * The five task profiles of the decision framework, with the LoRA preset each one starts from.
 * `expectedWinner` is the framework's prior hypothesis, not a measured result.
 */
export const TASK_IDS = [
  'customer_service',
  'code_generation',
  'creative_writing',
  'data_analysis',
  'technical_documentation',
] as const;

export type TaskId = (typeof TASK_IDS)[number];

export type Level = 'Low' | 'Medium' | 'High' | 'Very High';
export type ExpectedWinner = 'LoRA' | 'Full fine-tuning' | 'Uncertain';

export interface LoraPreset {
  r: number;
  alpha: number;
  dropout: number;
}

export interface TaskProfile {
  id: TaskId;
  label: string;
  complexity: Level;
  domainSpecificity: Level;
  creativityRequired: Level;
  expectedWinner: ExpectedWinner;
  reasoning: string;
  lora: LoraPreset;
  /** Words that identify the task in a typed answer. */
  keywords: RegExp;
}

/** Modules LoRA adapts when the attention-only option is chosen (Llama naming). */
export const ATTENTION_TARGET_MODULES = ['q_proj', 'k_proj', 'v_proj', 'o_proj'] as const;

export const TASK_PROFILES: Record<TaskId, TaskProfile> = {
  customer_service: {
    id: 'customer_service',
    label: 'Customer service',
    complexity: 'Medium',
    domainSpecificity: 'High',
    creativityRequired: 'Low',
    expectedWinner: 'LoRA',
    reasoning: 'Clear patterns, specific domain knowledge',
    lora: { r: 16, alpha: 32, dropout: 0.1 },
    keywords: /\b(customer|support|service|help ?desk|ticket|chat ?bot|faq|call cent(er|re))\b/,
  },
  code_generation: {
    id: 'code_generation',
    label: 'Code generation',
    complexity: 'High',
    domainSpecificity: 'Medium',
    creativityRequired: 'Medium',
    expectedWinner: 'Uncertain',
    reasoning: 'Requires both patterns and creative problem-solving',
    lora: { r: 32, alpha: 64, dropout: 0.05 },
    keywords: /\b(code|coding|programming|program|codegen|python|sql generation|copilot|software)\b/,
  },
  creative_writing: {
    id: 'creative_writing',
    label: 'Creative writing',
    complexity: 'High',
    domainSpecificity: 'Low',
    creativityRequired: 'Very High',
    expectedWinner: 'Full fine-tuning',
    reasoning: 'Requires fundamental changes to generation style',
    lora: { r: 64, alpha: 128, dropout: 0.1 },
    keywords: /\b(creative|story|stories|fiction|poem|poetry|novel|writing|copywriting|style)\b/,
  },
  data_analysis: {
    id: 'data_analysis',
    label: 'Data analysis',
    complexity: 'Medium',
    domainSpecificity: 'High',
    creativityRequired: 'Low',
    expectedWinner: 'LoRA',
    reasoning: 'Structured outputs, domain-specific knowledge',
    lora: { r: 16, alpha: 32, dropout: 0.1 },
    keywords: /\b(data|analysis|analytics|analyst|statistics|numbers|spreadsheet|tabular|bi|reporting)\b/,
  },
  technical_documentation: {
    id: 'technical_documentation',
    label: 'Technical documentation',
    complexity: 'Medium',
    domainSpecificity: 'Medium',
    creativityRequired: 'Medium',
    expectedWinner: 'LoRA',
    reasoning: 'Structured format with domain adaptation',
    lora: { r: 24, alpha: 48, dropout: 0.1 },
    keywords: /\b(doc|docs|documentation|manual|manuals|technical writing|api reference|readme)\b/,
  },
};

export function isTaskId(value: string): value is TaskId {
  return (TASK_IDS as readonly string[]).includes(value);
}

/** Finds the profile a typed description names: "creative writing", "support bot", "code_generation". */
export function matchTask(text: string): TaskId | undefined {
  const cleaned = text
    .toLowerCase()
    .trim()
    .replace(/[\s-]+/g, '_');
  if (isTaskId(cleaned)) return cleaned;
  const spaced = text.toLowerCase().replace(/[_-]+/g, ' ');
  return TASK_IDS.find((id) => TASK_PROFILES[id].keywords.test(spaced));
}
