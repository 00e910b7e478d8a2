import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectArms } from '../../src/analysis/arms';
import { resultsTable } from '../../src/comparison/results-table';
import { detectableDifference } from '../../src/comparison/test-power';
import { completedRun, runSummary } from '../analysis/run-builders';

const metric = 'intent_resolution_exact_match';
const run = (method: 'lora' | 'full', stderr: number, flags?: Record<string, string>) =>
  completedRun(
    runSummary({
      task: 'customer_service',
      method,
      seed: 0,
      primary_metric: metric,
      test_items: 120,
      metrics: { [metric]: 0.2, [`${metric}_stderr`]: stderr, consistency_agreement: null },
      ...(flags ? { metric_flags: flags } : {}),
    }),
  );

describe('test-set power and metric flags in the results', () => {
  it('states test size, standard errors and the difference detectable at 80% power', () => {
    assert.ok(Math.abs(detectableDifference(0.03, 0.04) - 0.140083) < 1e-5);
    const table = resultsTable(selectArms([run('lora', 0.03), run('full', 0.04)]), true);
    const note = table.notes?.find((n) => n.startsWith('customer_service test set'));
    assert.equal(
      note,
      'customer_service test set: 120 items; intent_resolution_exact_match standard error ±0.030 (LoRA), ±0.040 (full) per run, measured over items; smallest difference detectable at 80% power (two-sided, 5%): 0.140 (computed: 2.80 x sqrt(se_LoRA² + se_full²)); for a 0-1 score at its least precise (p = 0.5) it is 0.181.',
    );
  });

  it('says so when no item-level spread exists to estimate from', () => {
    const table = resultsTable(selectArms([run('lora', 0), run('full', 0)]), true);
    const note = table.notes?.find((n) => n.startsWith('customer_service test set')) ?? '';
    assert.match(note, /every test item scored the same in both methods/);
    assert.doesNotMatch(note, /detectable at 80% power \(two-sided, 5%\): 0\.000/);
  });

  it("passes on the trainer's flags for degenerate output", () => {
    const flagged = run('lora', 0.01, {
      consistency_agreement: 'not computed: no test item was answered correctly on any paraphrase',
    });
    const table = resultsTable(selectArms([flagged, run('full', 0.04)]), true);
    assert.ok(
      table.notes?.includes(
        'customer_service LoRA consistency_agreement: not computed: no test item was answered correctly on any paraphrase.',
      ),
      table.notes?.join('\n'),
    );
  });
});
