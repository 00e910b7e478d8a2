import { describeMoney, findMoney, formatUsd, type Money, type MoneyReading } from '../../parsing/money';
import { quoted } from '../../parsing/text';
import { budgetBucket } from '../answers';
import { type AnswerOf, answer, at, none, type Reading, type TopicReader } from './reading';

/** A trillion dollars: larger amounts are typing accidents, not budgets. */
const MAX_BUDGET = 1e12;
const BUDGET_WORDS =
  /\b(budget|spend|spending|afford|money|funding|funds|cost|costs|price|dollars|cash|allocated|set aside)\b/;

export function budgetAnswer(money: Money): AnswerOf<'budget'> {
  return {
    bucket: money.unlimited ? 'over_10k' : budgetBucket(money.usd, money.bound),
    ...(money.unlimited ? { unlimited: true } : { usd: money.usd }),
    ...(money.low !== undefined ? { low: money.low } : {}),
    label: describeMoney(money),
  };
}

function fromReading(reading: MoneyReading): Reading<'budget'> {
  if (reading.kind === 'other-currency')
    return none(
      `Faceoff plans in US dollars and keeps no exchange rates: give the amount in dollars (e.g. "$5k")`,
    );
  if (reading.kind === 'ambiguous')
    return {
      kind: 'ask',
      ask: `By ${quoted(reading.phrase)}, do you mean no money is set aside, or no fixed limit?`,
      options: reading.options.map((o, i) => ({
        id: `c${i + 1}`,
        label: o.label,
        answer: budgetAnswer(o.money),
      })),
    };
  const { money } = reading;
  if (!(money.usd <= MAX_BUDGET))
    return none(`${quoted(reading.phrase)} is beyond any training budget this tool plans for`);
  const how =
    money.low !== undefined
      ? `read ${quoted(reading.phrase)} as up to ${formatUsd(money.usd, 0)}`
      : money.unlimited
        ? `read ${quoted(reading.phrase)} as no fixed limit (over $10k)`
        : undefined;
  return answer<'budget'>(budgetAnswer(money), how);
}

/** A bare number is dollars from $50; below that it may be dollars or thousands. */
export function budgetFromNumber(n: number): Reading<'budget'> {
  if (!(n <= MAX_BUDGET)) return none(`${n} is beyond any training budget this tool plans for`);
  if (n === 0 || n >= 50)
    return answer<'budget'>(budgetAnswer({ usd: n, bound: 'about' }), `read "${n}" as ${formatUsd(n, 0)}`);
  return {
    kind: 'ask',
    ask: `Is that ${formatUsd(n, 0)} or ${formatUsd(n * 1000, 0)}?`,
    options: [
      { id: 'c1', label: formatUsd(n, 0), answer: budgetAnswer({ usd: n, bound: 'about' }) },
      { id: 'c2', label: formatUsd(n * 1000, 0), answer: budgetAnswer({ usd: n * 1000, bound: 'about' }) },
    ],
  };
}

export const budgetReader: TopicReader<'budget'> = {
  read(text) {
    if (/(^|[^\d\w])-\s*\$?\d/.test(text) && !/\d\s*-\s*\$?\d/.test(text))
      return none('a budget cannot be negative');
    const found = findMoney(text);
    return found ? fromReading(found.reading) : none(`no amount found in ${quoted(text)}`);
  },
  find(text) {
    const found = findMoney(text);
    if (!found) return undefined;
    const context = BUDGET_WORDS.test(text);
    if (found.source === 'phrase' ? !context : !(found.marked || context)) return undefined;
    if (text.charAt(found.start - 1) === '-' && !/[\d\w]/.test(text.charAt(found.start - 2)))
      return at(none('a budget cannot be negative'), found.start - 1, found.end);
    return at(fromReading(found.reading), found.start, found.end);
  },
};
