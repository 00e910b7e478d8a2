import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EditPacer } from '../../bots/edit-pacer';

/** A pacer on a clock the test moves: sleeping advances it. */
function pacer(intervalMs = 1000) {
  let clock = 0;
  const slept: number[] = [];
  const p = new EditPacer(
    intervalMs,
    () => clock,
    async (ms) => {
      slept.push(ms);
      clock += ms;
    },
  );
  return { p, slept, advance: (ms: number) => (clock += ms) };
}

describe('edit pacing', () => {
  it('lets the first edit of a conversation go at once and spaces the next ones by the interval', async () => {
    const { p, slept } = pacer();
    assert.equal(await p.turn(p.ticket('c1', 'progress:a')), true);
    assert.equal(await p.turn(p.ticket('c1', 'progress:b')), true);
    assert.deepEqual(slept, [1000]);
    assert.equal(await p.turn(p.ticket('c2', 'progress:a')), true, 'another conversation does not wait');
    assert.deepEqual(slept, [1000]);
  });

  it('drops an edit that a newer edit of the same message overtook while it waited', async () => {
    const { p } = pacer();
    const first = p.ticket('c1', 'progress:a');
    const second = p.ticket('c1', 'progress:a');
    assert.equal(await p.turn(first), false);
    assert.equal(await p.turn(second), true);
    assert.equal(p.superseded, 1);
    const other = p.ticket('c1', 'progress:b');
    assert.equal(await p.turn(other), true, 'edits of other messages are not dropped');
  });

  it('does not wait once the interval has passed', async () => {
    const { p, slept, advance } = pacer();
    await p.turn(p.ticket('c1', 'k'));
    advance(1500);
    await p.turn(p.ticket('c1', 'k'));
    assert.deepEqual(slept, []);
  });
});
