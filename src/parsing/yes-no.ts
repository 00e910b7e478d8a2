import { normalise } from './numbers';
import { err, ok, type Result } from './result';

export type YesNo = 'yes' | 'no' | 'unsure';

const YES =
  /^(y|yes|yeah|yea|yep|yup|sure|ok|okay|absolutely|definitely|correct|true|of course|affirmative|indeed|please|yes please|i think so|probably)$/;
const NO =
  /^(n|no|nope|nah|not really|never|false|negative|no way|definitely not|absolutely not|probably not|not at all)$/;
const UNSURE =
  /^(unsure|not sure|maybe|perhaps|don'?t know|dunno|idk|no idea|skip|pass|\?|either|no preference|depends|it depends)$/;

/** Reads yes / no / not sure from a typed answer. */
export function parseYesNo(input: string): Result<YesNo> {
  const text = normalise(input);
  if (YES.test(text)) return ok('yes');
  if (NO.test(text)) return ok('no');
  if (UNSURE.test(text)) return ok('unsure');
  return err(`"${input.trim()}" is not yes, no or not sure`);
}
