/** The fine-tuning methods a comparison can train, with the names people read. */
export const METHODS = ['lora', 'full', 'qlora'] as const;
export type Method = (typeof METHODS)[number];

export const METHOD_LABELS: Record<Method, string> = {
  lora: 'LoRA',
  full: 'Full fine-tuning',
  qlora: 'QLoRA',
};

export function isMethod(value: string): value is Method {
  return (METHODS as readonly string[]).includes(value);
}
