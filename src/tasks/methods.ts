/** The fine-tuning methods a comparison can train, with the names people read, from framework.json. */
import { FRAMEWORK, type MethodEntry, type REQUIRED_METHODS } from './framework';

declare const methodBrand: unique symbol;
/** The methods every comparison reports; the file is refused at load without them. */
export type CoreMethod = (typeof REQUIRED_METHODS)[number];
/** A method id from framework.json: lora, full, or one checked with isMethod. */
export type Method = CoreMethod | (string & { readonly [methodBrand]: true });

export interface MethodSpec {
  id: Method;
  label: string;
  /** The label in tables and charts. */
  shortLabel: string;
  /** Trains LoRA adapters on a frozen base; false: every weight is trained. */
  adapter: boolean;
  /** Loads the base model in 4-bit NF4. */
  quantizedBase: boolean;
  /** What a machine needs to run it: "cuda" or Python package names. */
  requires: readonly string[];
  /** An Okabe-Ito colour name, resolved by the chart palette. */
  chartColor: string;
}

function toSpec(entry: MethodEntry): MethodSpec {
  return {
    id: entry.id as Method,
    label: entry.label,
    shortLabel: entry.short_label,
    adapter: entry.adapter,
    quantizedBase: entry.quantized_base,
    requires: Object.freeze([...entry.requires]),
    chartColor: entry.chart_color,
  };
}

const specs = FRAMEWORK.methods.map(toSpec);
const byMethod = <T>(pick: (spec: MethodSpec) => T) =>
  Object.freeze(Object.fromEntries(specs.map((spec) => [spec.id, pick(spec)]))) as Readonly<
    Record<Method, T>
  >;

export const METHODS: readonly Method[] = Object.freeze(specs.map((spec) => spec.id));
export const METHOD_SPECS = byMethod((spec) => spec);
export const METHOD_LABELS = byMethod((spec) => spec.label);
export const METHOD_SHORT_LABELS = byMethod((spec) => spec.shortLabel);

export function isMethod(value: string): value is Method {
  return (METHODS as readonly string[]).includes(value);
}

export function methodSpec(method: Method): MethodSpec {
  const spec = METHOD_SPECS[method];
  if (!spec) throw new Error(`no method "${method}" in framework.json`);
  return spec;
}
