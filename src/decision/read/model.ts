import { findModel, formatParams, type ModelReading, type ModelSize } from '../../parsing/model-size';
import { quoted } from '../../parsing/text';
import { type AnswerOf, modelBucket } from '../answers';
import { answer, at, none, type Reading, type TopicReader } from './reading';

export function modelOfSize(size: ModelSize): AnswerOf<'model'> {
  const total = formatParams(size.totalB);
  const label = size.activeB
    ? `${size.name ? `${size.name}: ` : ''}about ${total} in total, ${formatParams(size.activeB)} active`
    : size.name
      ? `${size.name} (${total})`
      : total;
  return {
    bucket: modelBucket(size.totalB),
    paramsB: size.totalB,
    ...(size.activeB ? { activeB: size.activeB } : {}),
    label,
  };
}

function fromReading(reading: ModelReading): Reading<'model'> {
  if (reading.kind === 'closed')
    return none(
      `${quoted(reading.phrase)} is a hosted model whose weights are not published, so neither method can be run on it here: give the size of the open model you would tune (e.g. "llama 3 8b", "7B")`,
    );
  if (reading.kind === 'ambiguous')
    return {
      kind: 'ask',
      ask: `${reading.name} comes in several sizes: which one?`,
      options: reading.options.map((size, i) => ({
        id: `c${i + 1}`,
        label: modelOfSize(size).label,
        answer: modelOfSize(size),
      })),
    };
  const { size } = reading;
  if (!(size.totalB > 0)) return none('a model has more than zero parameters');
  if (size.totalB > 10000)
    return none(`${size.totalB}B parameters is beyond any model this tool can plan for`);
  const value = modelOfSize(size);
  const plain = /^\d+(\.\d+)?\s*(b|m)$/.test(reading.phrase);
  return answer<'model'>(value, plain ? undefined : `read ${quoted(reading.phrase)} as ${value.label}`);
}

/** A bare number is billions of parameters. */
export function modelFromNumber(n: number): Reading<'model'> {
  if (n <= 0) return none('a model has more than zero parameters');
  if (n > 10000) return none(`${n}B parameters is beyond any model this tool can plan for`);
  return answer<'model'>(modelOfSize({ totalB: n }), `read "${n}" as ${formatParams(n)} parameters`);
}

export const modelReader: TopicReader<'model'> = {
  read(text) {
    const found = findModel(text);
    return found ? fromReading(found.reading) : none(`no model size found in ${quoted(text)}`);
  },
  find(text, ctx) {
    const found = findModel(text);
    if (!found || (!found.sure && ctx.current !== 'model')) return undefined;
    return at(fromReading(found.reading), found.start, found.end);
  },
};
