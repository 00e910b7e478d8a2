import { type Platform, parseConversationKey } from '../src/chat/conversation';
import type { Reply } from '../src/chat/replies';
import type { Notifier } from '../src/comparison/ports';

export type PlatformPoster = (conversationKey: string, reply: Reply) => Promise<void>;

/** Sends each notice to the adapter of the platform its conversation belongs to. */
export class RoutingNotifier implements Notifier {
  private readonly posters = new Map<Platform, PlatformPoster>();

  register(platform: Platform, poster: PlatformPoster): void {
    this.posters.set(platform, poster);
  }

  async post(conversationKey: string, reply: Reply): Promise<void> {
    const { platform } = parseConversationKey(conversationKey);
    const poster = this.posters.get(platform);
    if (!poster) throw new Error(`no ${platform} adapter is running to post to ${conversationKey}`);
    await poster(conversationKey, reply);
  }
}
