import type { Reply } from '../../src/chat/replies';
import type { Notifier } from '../../src/comparison/ports';

/** Collects notices instead of posting them to a chat platform (Slack and Discord cannot run here). */
export class RecordingNotifier implements Notifier {
  readonly posts: { key: string; reply: Reply }[] = [];

  async post(key: string, reply: Reply): Promise<void> {
    this.posts.push({ key, reply });
  }

  texts(): string[] {
    return this.posts.map((p) => p.reply.text);
  }
}
