/**
 * The shared data file of task profiles and methods (jobs/trainer/faceoff_trainer/framework.json),
 * read here and by the Python trainer. Validated at load: a problem names the field, e.g.
 * `framework.json: tasks[2].lora.r: Too small: expected number to be >=1`.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type core, z } from 'zod';

export const FRAMEWORK_PATH = fileURLToPath(
  new URL('../../jobs/trainer/faceoff_trainer/framework.json', import.meta.url),
);

/** Words with a meaning of their own where a task or method id is typed (task=all, a dataset, "other"). */
export const RESERVED_IDS: readonly string[] = ['all', 'dataset', 'other'];
/** Every comparison reports these two, so the file must define them. */
export const REQUIRED_METHODS = ['lora', 'full'] as const;

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

const id = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'expected lower-case letters, digits and _, starting with a letter')
  .refine((value) => !RESERVED_IDS.includes(value), {
    message: `is reserved (${RESERVED_IDS.join(', ')})`,
  });
const text = z.string().trim().min(1);
const level = z.enum(['Low', 'Medium', 'High', 'Very High']);
const preset = z.strictObject({
  r: z.number().int().min(1),
  alpha: z.number().positive(),
  dropout: z.number().min(0).lt(1),
});

function uniqueIds<T extends { id: string }>(entries: T[], context: core.$RefinementCtx<T[]>): void {
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    if (seen.has(entry.id)) {
      context.addIssue({ code: 'custom', message: `"${entry.id}" appears twice`, path: [index, 'id'] });
    }
    seen.add(entry.id);
  });
}

const taskSchema = z.strictObject({
  id,
  label: text,
  complexity: level,
  domain_specificity: level,
  creativity_required: level,
  expected_winner: z.enum(['LoRA', 'Full fine-tuning', 'Uncertain']),
  reasoning: text,
  lora: preset,
  keywords: z.array(text.refine(compiles, 'not a valid regular expression')).min(1),
});

const methodSchema = z.strictObject({
  id,
  label: text,
  short_label: text,
  adapter: z.boolean(),
  quantized_base: z.boolean(),
  requires: z.array(text),
  chart_color: text,
});

export const frameworkSchema = z.strictObject({
  description: z.string().optional(),
  tasks: z.array(taskSchema).min(1).superRefine(uniqueIds),
  default_lora: preset,
  methods: z
    .array(methodSchema)
    .superRefine(uniqueIds)
    .superRefine((methods, context) => {
      for (const required of REQUIRED_METHODS) {
        if (!methods.some((m) => m.id === required)) {
          context.addIssue({
            code: 'custom',
            message: `"${required}" is required: every comparison reports it`,
          });
        }
      }
    }),
  attention_target_modules: z.array(text).min(1),
  mlp_target_modules: z.array(text).min(1),
});

export type FrameworkData = z.infer<typeof frameworkSchema>;
export type TaskEntry = FrameworkData['tasks'][number];
export type MethodEntry = FrameworkData['methods'][number];

export class FrameworkError extends Error {
  override name = 'FrameworkError';
}

function fieldPath(path: readonly PropertyKey[]): string {
  const joined = path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
  return joined || '(root)';
}

/** Validates the decoded file; throws a FrameworkError naming every wrong field. */
export function parseFramework(raw: unknown, source = basename(FRAMEWORK_PATH)): FrameworkData {
  const parsed = frameworkSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${fieldPath(issue.path)}: ${issue.message}`);
  throw new FrameworkError(`${source}: ${problems.join('; ')}`);
}

export function loadFramework(path = FRAMEWORK_PATH): FrameworkData {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new FrameworkError(`${basename(path)}: ${(error as Error).message}`);
  }
  return parseFramework(raw, basename(path));
}

/** The file as this process loaded it. */
export const FRAMEWORK: FrameworkData = loadFramework();
