import type { webApi } from '@slack/bolt';
import { teamKey } from '../../../src/chat/conversation';
import type { CommandEntry } from '../../../src/commands/command-entry';
import type { SlackDeps } from '../deps';
import { type FormOrigin, formView } from './command-form';

/** A command typed with nothing after it opens its form, when its catalog entry has form fields. */
export function hasForm(entry: CommandEntry | undefined): entry is CommandEntry {
  return Boolean(entry?.options.some((o) => o.inForm));
}

/** Opens a command's form for a trigger (valid for 3 seconds: called right after the ack). */
export async function openCommandForm(
  deps: SlackDeps,
  client: webApi.WebClient,
  triggerId: string,
  team: string,
  entry: CommandEntry,
  origin: Omit<FormOrigin, 'command'>,
): Promise<void> {
  const datasets = await deps.repositories.datasets.list(teamKey({ platform: 'slack', workspace: team }));
  await client.views.open({
    trigger_id: triggerId,
    view: formView(entry, datasets, { ...origin, command: entry.name }),
  });
}
