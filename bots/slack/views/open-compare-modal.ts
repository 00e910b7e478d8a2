import type { webApi } from '@slack/bolt';
import { teamKey } from '../../../src/chat/conversation';
import type { SlackDeps } from '../deps';
import { type CompareOrigin, compareModalView } from './compare-modal';

/** Opens the comparison form for a trigger (valid for 3 seconds: called right after the ack). */
export async function openCompareModal(
  deps: SlackDeps,
  client: webApi.WebClient,
  triggerId: string,
  team: string,
  origin: CompareOrigin,
): Promise<void> {
  const datasets = await deps.repositories.datasets.list(teamKey({ platform: 'slack', workspace: team }));
  await client.views.open({ trigger_id: triggerId, view: compareModalView(datasets, origin) });
}
