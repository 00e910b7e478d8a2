/** Reading what the app posted to the Slack stand-in: messages of a thread, their controls. */
import type { ApiCall, FakeSlack } from './fake-slack';

export interface PostedView {
  ts: string;
  text: string;
  blocks: Block[];
  call: ApiCall;
}

export interface Element {
  type: string;
  action_id: string;
  value?: string;
  text?: { text: string };
  options?: { value: string; text: { text: string } }[];
}

interface Block {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: Element[];
}

export function view(call: ApiCall): PostedView {
  return {
    ts: String(call.result.ts ?? call.args.ts),
    text: String(call.args.text ?? ''),
    blocks: (call.args.blocks as Block[] | undefined) ?? [],
    call,
  };
}

/** Messages posted in a thread, oldest first. */
export function threadPosts(fake: FakeSlack, thread: string): PostedView[] {
  return fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.thread_ts === thread)
    .map(view);
}

/** Channel-level messages (thread roots and channel replies). */
export function channelPosts(fake: FakeSlack, channel: string): PostedView[] {
  return fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === channel && !c.args.thread_ts)
    .map(view);
}

export function updatesOf(fake: FakeSlack, ts: string): PostedView[] {
  return fake
    .callsTo('chat.update')
    .filter((c) => c.args.ts === ts)
    .map(view);
}

export function elements(blocks: Block[]): Element[] {
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
}

/** All mrkdwn text of the blocks (sections, fields, context). */
export function blockText(blocks: Block[]): string {
  return blocks
    .flatMap((b) => [
      b.text?.text ?? '',
      ...(b.fields ?? []).map((f) => f.text),
      ...(b.elements ?? []).map((e) => e.text?.text ?? ''),
    ])
    .join('\n');
}

export function latestQuestion(fake: FakeSlack, thread: string): PostedView & { number: number } {
  const question = threadPosts(fake, thread)
    .filter((p) => /Question \d+ of \d+/.test(p.text))
    .at(-1);
  if (!question) throw new Error(`no question in thread ${thread}`);
  return { ...question, number: Number(/Question (\d+) of \d+/.exec(question.text)?.[1]) };
}
