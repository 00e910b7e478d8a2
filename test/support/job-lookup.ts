import { type ConversationRef, conversationKey } from '../../src/chat/conversation';
import type { Repositories } from '../../src/persistence/index';

/** The id of the newest job started in a conversation, read from the database, not from chat text. */
export async function latestJobIn(
  repositories: Pick<Repositories, 'jobs'>,
  where: ConversationRef,
): Promise<string> {
  const job = await repositories.jobs.latestForConversation(conversationKey(where));
  if (!job) throw new Error(`no job in ${conversationKey(where)}`);
  return job.id;
}
