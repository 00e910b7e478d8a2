import { normalise, parseNumberWord } from './numbers';
import { err, ok, type Result } from './result';

const SOLO = /^(just me|me|only me|myself|solo|alone|me alone|one person|i am alone)$/;

/** Reads a head count: "3", "just me", "a team of 8", "five people", "12 engineers". */
export function parseTeamSize(input: string): Result<number> {
  const text = normalise(input);
  if (SOLO.test(text)) return ok(1);
  const words = text
    .replace(/[^a-z0-9. ]/g, ' ')
    .split(' ')
    .filter(Boolean);
  for (const word of words) {
    if (word === 'a' || word === 'an' || word === 'half') continue;
    const value = parseNumberWord(word);
    if (value !== undefined) {
      if (!Number.isInteger(value) || value < 1)
        return err('a team has a whole number of people, at least 1');
      if (value > 100000) return err(`${value} people is not a team size this tool can plan for`);
      return ok(value);
    }
  }
  return err(`no head count found in "${input.trim()}"`);
}
