import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccessPolicy } from '../../src/access/access-policy';
import type { Reply } from '../../src/chat/replies';
import { builtinHandlers } from '../../src/commands/builtin';
import { COMMAND_CATALOG, catalogEntry } from '../../src/commands/catalog';
import { usageOf } from '../../src/commands/command-entry';
import { CommandRouter } from '../../src/commands/router';
import { parseCombineRequest, parseComparisonRequest, parsePlanRequest } from '../../src/comparison/request';
import { parseCostArguments } from '../../src/cost/arguments';
import { commandContext } from '../support/command-context';

const runs = (name: string) => async (): Promise<Reply[]> => {
  throw new Error(`${name} ran: help must answer before any handler`);
};
// Slack has no dispatch rule registered here: nobody may start GPU work from it.
const router = new CommandRouter(
  {
    ...builtinHandlers(),
    decide: runs('decide'),
    compare: runs('compare'),
    plan: runs('plan'),
    combine: runs('combine'),
    status: runs('status'),
  },
  new AccessPolicy(),
);
const base = commandContext('', 'slack');

async function only(text: string): Promise<Reply> {
  const replies = await router.route(text, base);
  assert.equal(replies.length, 1, text);
  return replies[0] as Reply;
}

describe("one command's help", () => {
  it('every way of asking gives the same private help, without running or refusing the command', async () => {
    const expected = await only('help compare');
    assert.equal(expected.ephemeral, true);
    assert.match(expected.text, /^\*\/faceoff compare\*: run LoRA and full fine-tuning/);
    for (const text of [
      'compare help',
      'compare --help',
      'COMPARE -h',
      'compare ?',
      '/faceoff Help Compare',
      'help compare.',
      '--help compare',
    ])
      assert.deepEqual(await only(text), expected, text);
    // The same user is refused the command itself.
    assert.match((await only('compare task=customer_service model=tiny')).text, /starts GPU work/);
  });

  it('lists the usage, every option a user types, and only those', async () => {
    for (const entry of COMMAND_CATALOG.filter((e) => e.name !== 'help')) {
      const { text } = await only(`help ${entry.name}`);
      assert.ok(text.includes(`Usage: \`/faceoff ${usageOf(entry)}\``), entry.name);
      for (const option of entry.options) {
        const shown = option.positional ? `<${option.placeholder ?? option.name}>` : option.name;
        // Discord's `dataset` is compare's `task` typed another way: help names `task` only.
        assert.equal(text.includes(`• \`${shown}\``), !option.sendsAs, `${entry.name} ${option.name}`);
      }
    }
  });

  it("says what each option takes: bounds, choices, on/off, a list, the default, and whether it's required", async () => {
    const { text } = await only('help compare');
    const line = (name: string) => text.split('\n').find((l) => l.startsWith(`• \`${name}\``)) ?? '';
    assert.match(line('task'), /\(required\).*For example customer_service, .*, all\./);
    assert.match(line('seeds'), /A whole number from 1 to 5\./);
    assert.doesNotMatch(line('seeds'), /Default 3\./, 'the description already gives it');
    assert.match(line('lr_sweep'), /On or off\./);
    assert.match(
      line('methods'),
      /\(default lora,full; known: lora, full, qlora\)\. One or more, comma-separated\.$/,
    );
    assert.match((await only('help combine')).text, /One or more of linear, ties, .*, comma-separated\./);
    assert.match(line('targets'), /\(default\), .*One of all, attention, mlp\.$/);
    assert.match(line('rank_rule'), /preset: the task preset rank .*; scaled: shrink it with model width\.$/);
    assert.match(line('gpus'), /A whole number from 0 to 64\. Default 0\.$/);
    assert.match(text, /only members allowed to start GPU work may run it/);
    assert.doesNotMatch((await only('help cost')).text, /GPU work/);
  });

  it("usage lines show a closed choice's values, not a placeholder", () => {
    const usage = usageOf(catalogEntry('compare'));
    assert.match(usage, /\[targets=all\|attention\|mlp\] \[rank_rule=preset\|scaled\]/);
    assert.match(usage, /task=<task\|all\|dataset id>/);
  });

  it('help about help, or about nothing, is the list of commands; an unknown name is said so', async () => {
    const general = await only('help');
    for (const text of ['help help', 'help ?', '?', '-h']) assert.deepEqual(await only(text), general, text);
    const unknown = await only('help comapre');
    assert.equal(unknown.ephemeral, true);
    assert.match(
      unknown.text,
      /^Unknown subcommand "comapre"\. Did you mean compare\? Accepted: help, decide/,
    );
    assert.ok(unknown.text.endsWith(general.text));
  });

  it('a command typed with more than a help word runs as a command', async () => {
    assert.equal(router.parse('status help me').kind, 'command');
    assert.equal(router.parse('decide help me choose').kind, 'command');
    assert.deepEqual(router.parse('decide help'), { kind: 'help', entry: catalogEntry('decide') });
  });

  it('every example in the catalog is accepted as typed', () => {
    const parsers: Record<string, (positional: string[], pairs: Map<string, string>) => { ok: boolean }> = {
      compare: parseComparisonRequest,
      plan: parsePlanRequest,
      combine: parseCombineRequest,
      cost: (_, pairs) => parseCostArguments(pairs),
    };
    let checked = 0;
    for (const entry of COMMAND_CATALOG)
      for (const example of entry.examples ?? []) {
        const parsed = router.parse(example);
        if (parsed.kind === 'help') continue;
        assert.equal(parsed.kind, 'command', example);
        if (parsed.kind !== 'command') continue;
        assert.equal(parsed.entry.name, entry.name, example);
        assert.ok(parsed.args.ok, example);
        const parse = parsers[entry.name];
        if (parse && parsed.args.ok) {
          const r = parse(parsed.args.value.positional, parsed.args.value.pairs);
          assert.ok(r.ok, `${example}: ${JSON.stringify(r)}`);
          checked++;
        }
      }
    assert.ok(checked >= 6, `${checked} examples read by their command's parser`);
  });
});
