/**
 * A base model's size from what people type: a size ("7B", "70b", "350M", "1.3 billion"), a name
 * that carries one ("llama 3 70b", "meta-llama/Llama-2-13b-hf", "bloom-7b1"), a mixture of
 * experts ("mixtral 8x7b": total and active), or a family known by name ("gpt-2 small").
 */
import { CLOSED_MODELS, KNOWN_MODELS, type ModelSize } from './model-names';
import { err, ok, type Result } from './result';
import { cleanMessage } from './text';

export type { ModelSize } from './model-names';

export type ModelReading =
  | { kind: 'size'; size: ModelSize; phrase: string }
  | { kind: 'ambiguous'; phrase: string; name: string; options: ModelSize[] }
  | { kind: 'closed'; phrase: string };

export interface FoundModel {
  reading: ModelReading;
  start: number;
  end: number;
  /** A size with a unit or a model name marked it (not a bare "5m"). */
  sure: boolean;
}

const SIZE =
  /(?<![\w$.])(\d+(?:\.\d+)?)\s*(b|bn|billion|m|million)(\d)?(?:\s*(?:param(?:eter)?s?|weights))?\b/g;
/** "30b-a3b": total and active parameters in the name. */
const TOTAL_ACTIVE = /\b(\d+(?:\.\d+)?)b[\s-]*a(\d+(?:\.\d+)?)b\b/;
/** "4x7b": a mixture of experts not in the list, counted as experts x size (an upper bound). */
const EXPERTS = /\b(\d{1,3})\s*x\s*(\d+(?:\.\d+)?)\s*b\b/;

function sizeFromMatch(m: RegExpMatchArray): ModelSize | undefined {
  const value = Number(m[1]) + (m[3] ? Number(m[3]) / 10 : 0);
  const unit = m[2] ?? 'b';
  const billions = unit.startsWith('m') ? value / 1000 : value;
  return Number.isFinite(billions) ? { totalB: billions } : undefined;
}

/** The model size named in a text, with where it stands. */
export function findModel(input: string): FoundModel | undefined {
  const text = input.replace(/[_/]/g, ' ');
  const pair = TOTAL_ACTIVE.exec(text);
  if (pair)
    return {
      reading: { kind: 'size', size: { totalB: Number(pair[1]), activeB: Number(pair[2]) }, phrase: pair[0] },
      start: pair.index,
      end: pair.index + pair[0].length,
      sure: true,
    };
  for (const known of KNOWN_MODELS.slice(0, 5)) {
    const m = known.pattern.exec(text);
    if (m && known.sizes.length === 1)
      return {
        reading: { kind: 'size', size: known.sizes[0] as ModelSize, phrase: m[0] },
        start: m.index,
        end: m.index + m[0].length,
        sure: true,
      };
  }
  const experts = EXPERTS.exec(text);
  if (experts) {
    const total = Number(experts[1]) * Number(experts[2]);
    return {
      reading: {
        kind: 'size',
        size: { totalB: total, name: `${experts[1]}x${experts[2]}B mixture of experts` },
        phrase: experts[0],
      },
      start: experts.index,
      end: experts.index + experts[0].length,
      sure: true,
    };
  }
  const sizes = [...text.matchAll(SIZE)];
  const named = KNOWN_MODELS.map((k) => ({ k, m: k.pattern.exec(text) })).find((x) => x.m);
  const explicit =
    sizes.find((m) => /^(b|bn|billion)$/.test(m[2] ?? '') || /param|weights/.test(m[0])) ??
    (named ? sizes[0] : undefined);
  if (explicit) {
    const size = sizeFromMatch(explicit);
    if (size) {
      const start = Math.min(explicit.index ?? 0, named?.m?.index ?? Number.POSITIVE_INFINITY);
      return {
        reading: { kind: 'size', size, phrase: explicit[0] },
        start,
        end: (explicit.index ?? 0) + explicit[0].length,
        sure: true,
      };
    }
  }
  if (named?.m) {
    const { k, m } = named;
    const reading: ModelReading =
      k.sizes.length === 1
        ? { kind: 'size', size: k.sizes[0] as ModelSize, phrase: m[0] }
        : { kind: 'ambiguous', phrase: m[0], name: k.name, options: k.sizes };
    return { reading, start: m.index, end: m.index + m[0].length, sure: true };
  }
  const closed = CLOSED_MODELS.exec(text);
  if (closed)
    return {
      reading: { kind: 'closed', phrase: closed[0] },
      start: closed.index,
      end: closed.index + closed[0].length,
      sure: true,
    };
  const loose = sizes[0];
  if (loose) {
    const size = sizeFromMatch(loose);
    if (size)
      return {
        reading: { kind: 'size', size, phrase: loose[0] },
        start: loose.index ?? 0,
        end: (loose.index ?? 0) + loose[0].length,
        sure: false,
      };
  }
  return undefined;
}

function checked(size: ModelSize): Result<ModelSize> {
  if (!(size.totalB > 0)) return err('a model has more than zero parameters');
  if (size.totalB > 10000)
    return err(`${size.totalB}B parameters is beyond any model this tool can plan for`);
  return ok(size);
}

/** Reads a model answer: a size, a family to choose a size of, or a hosted model. */
export function parseModel(input: string): Result<ModelReading> {
  const found = findModel(cleanMessage(input));
  if (!found)
    return err(
      `no parameter count found in "${input.trim().slice(0, 60)}" (write it like "7B", "70b" or "350M")`,
    );
  if (found.reading.kind === 'size') {
    const size = checked(found.reading.size);
    if (!size.ok) return size;
  }
  return ok(found.reading);
}

/** Reads a parameter count in billions: "7B", "70b", "1.3 billion", "350M", "llama-2-13b-hf", "mixtral 8x7b" (total). */
export function parseModelSizeB(input: string): Result<number> {
  const reading = parseModel(input);
  if (!reading.ok) return reading;
  if (reading.value.kind !== 'size') return err(`"${input.trim()}" does not say which size`);
  return ok(reading.value.size.totalB);
}

/** "7B", "350M", "46.7B". */
export function formatParams(billions: number): string {
  return billions < 1 ? `${Number((billions * 1000).toFixed(0))}M` : `${Number(billions.toFixed(1))}B`;
}
