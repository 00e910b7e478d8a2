import type { CommandContext } from '../../src/commands/registry';

/** What the router hands a command, for router tests: user U1 in one conversation of `platform`. */
export function commandContext(text = '', platform = 'console'): Omit<CommandContext, 'args'> {
  return {
    user: { id: 'U1' },
    conversation: { platform, workspace: 'w', channel: 'c' },
    event: { kind: 'command', text },
    now: new Date('2026-12-07T12:00:00Z'),
  } as never;
}
