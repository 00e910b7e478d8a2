import { findTask, type TaskReading, type TaskTarget } from '../../parsing/task-description';
import { quoted } from '../../parsing/text';
import { DEFAULT_LORA_PRESET, taskProfile } from '../../tasks/profiles';
import type { AnswerOf } from '../answers';
import { answer, at, none, type Reading, type TopicReader } from './reading';

export const OTHER_LABEL = 'Something else';

export function taskAnswer(target: TaskTarget, closest = false): AnswerOf<'task'> {
  if (target === 'other') return { value: 'other', label: OTHER_LABEL };
  return { value: target, ...(closest ? { closest: true } : {}), label: taskProfile(target).label };
}

/** What "something else" means for the decision, in one sentence. */
export const OTHER_MEANING = `no task profile applies: the framework's table is used without a task prior, and the plan starts from a general LoRA preset (r=${DEFAULT_LORA_PRESET.r}, alpha=${DEFAULT_LORA_PRESET.alpha})`;

function fromReading(reading: TaskReading): Reading<'task'> {
  if (reading.kind === 'ambiguous')
    return {
      kind: 'ask',
      ask: `${quoted(reading.phrase)} fits more than one profile: which is closer?`,
      options: [...reading.options.filter((o) => o !== 'other'), 'other' as const].map((o, i) => ({
        id: `c${i + 1}`,
        label: o === 'other' ? OTHER_LABEL : taskProfile(o).label,
        answer: taskAnswer(o),
      })),
    };
  if (reading.kind === 'other')
    return answer<'task'>(taskAnswer('other'), `${reading.reason}; ${OTHER_MEANING}`);
  const value = taskAnswer(reading.id, reading.closest);
  return answer<'task'>(
    value,
    reading.closest
      ? `closest profile to ${quoted(reading.phrase)}: ${value.label} (${reading.reason})`
      : undefined,
  );
}

export const taskReader: TopicReader<'task'> = {
  read(text) {
    const found = findTask(text);
    if (!found) return none(`${quoted(text)} does not name a task the profiles know`);
    // Quote what was typed ("legal contract review"), not only the words that matched.
    return fromReading(
      found.reading.kind === 'ambiguous' ? found.reading : { ...found.reading, phrase: text },
    );
  },
  find(text, ctx) {
    const found = findTask(text);
    // In a message about other things, one generic word ("data", "bot") does not name the task.
    if (!found || (found.weight < 2 && ctx.current !== 'task')) return undefined;
    if (found.reading.kind === 'ambiguous' && ctx.current !== 'task' && found.weight < 3) return undefined;
    return at(fromReading(found.reading), found.start, found.end);
  },
};
