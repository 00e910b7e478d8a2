import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { METHOD_COLORS, METHOD_NAMES, OKABE_ITO, resolveMethodColors } from '../../src/charts/palette';
import { METHODS } from '../../src/tasks/methods';

describe('method colours from framework.json', () => {
  it('gives every method its own Okabe-Ito colour and its short name', () => {
    const palette = new Set<string>(Object.values(OKABE_ITO));
    for (const method of METHODS) {
      assert.ok(palette.has(METHOD_COLORS[method] ?? ''), method);
      assert.ok(METHOD_NAMES[method], method);
    }
    assert.equal(new Set(METHODS.map((m) => METHOD_COLORS[m])).size, METHODS.length);
    assert.equal(METHOD_COLORS.lora, OKABE_ITO.blue);
    assert.equal(METHOD_COLORS.full, OKABE_ITO.vermillion);
    assert.equal(METHOD_NAMES.full, 'Full FT');
  });

  it('refuses a colour outside the palette or one two methods share, naming the method', () => {
    assert.throws(
      () => resolveMethodColors([{ id: 'dora', chartColor: 'pink' }]),
      /method "dora" has chart_color "pink"; expected an Okabe-Ito colour: black, orange/,
    );
    assert.throws(
      () =>
        resolveMethodColors([
          { id: 'lora', chartColor: 'blue' },
          { id: 'dora', chartColor: 'blue' },
        ]),
      /methods "lora" and "dora" share chart_color "blue"/,
    );
    assert.throws(() => resolveMethodColors([{ id: 'dora', chartColor: 'toString' }]), /"toString"/);
  });
});
