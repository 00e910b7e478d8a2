import { isMethod, METHOD_SHORT_LABELS } from '../tasks/methods';

/** "LoRA", "Full FT", ...: a method's label in tables. */
export const methodLabel = (method: string) =>
  (isMethod(method) ? METHOD_SHORT_LABELS[method] : undefined) ?? method;
