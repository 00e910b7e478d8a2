/**
 * The channel message a questionnaire or comparison hangs under. Its ts becomes the conversation's
 * thread, so answers typed in the thread and job notices reach the same conversation.
 */
import type { types, webApi } from '@slack/bolt';
import type { CommandEntry } from '../../../src/commands/command-entry';
import { echoed } from '../../../src/render/shorten';
import type { SlackDeps } from '../deps';
import { mention } from '../refs';
import { escapeText } from '../render/mrkdwn';

export const OPEN_COMPARE_ACTION = 'slack:open-compare';

export interface RootMessage {
  text: string;
  blocks: types.KnownBlock[];
}

const section = (text: string): types.KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

export const compareButton: types.Button = {
  type: 'button',
  action_id: OPEN_COMPARE_ACTION,
  text: { type: 'plain_text', text: 'Compare...', emoji: true },
  value: 'open',
};

export function decideRoot(user: string): RootMessage {
  const text = `${mention(user)} is deciding: LoRA or full fine-tuning? Follow along in the thread.`;
  return {
    text,
    blocks: [
      section(
        `*${text}*\nAnswer with the buttons or type your answers in the thread (back, restart or cancel at any time).`,
      ),
      { type: 'actions', elements: [compareButton] },
    ],
  };
}

/** The command as typed, cut to a short excerpt: a command can be thousands of characters long. */
const commandEcho = (command: string) => `\`/faceoff ${escapeText(echoed(command))}\``;

/** The root of a command that starts GPU work: progress and results follow under it. */
export function workRoot(user: string, command: string): RootMessage {
  const text = `${mention(user)} asked for ${commandEcho(command)}`;
  return { text, blocks: [section(`*${text}*\nProgress and results follow in this thread.`)] };
}

export function notQueuedRoot(user: string, command: string): RootMessage {
  const text = `${mention(user)} asked for ${commandEcho(command)}; nothing was queued.`;
  return { text, blocks: [section(`${text} The reason was shown to ${mention(user)}.`)] };
}

/** The root a catalog command with `opensThread` hangs under: a conversation, or work in progress. */
export function threadRoot(entry: CommandEntry, user: string, command: string): RootMessage {
  return entry.startsGpuWork ? workRoot(user, command) : decideRoot(user);
}

/**
 * Posts the root message and remembers it as one of ours; returns its ts. In a public channel the
 * bot joins first: Slack sends message events (answers typed in the thread) only to members.
 */
export async function startThread(
  deps: SlackDeps,
  client: webApi.WebClient,
  team: string,
  channel: string,
  root: RootMessage,
): Promise<string> {
  if (channel.startsWith('C')) await client.conversations.join({ channel }).catch(() => undefined);
  const posted = await client.chat.postMessage({ channel, ...root, unfurl_links: false });
  if (!posted.ts) throw new Error('chat.postMessage returned no ts');
  await deps.posted.markThreadRoot(team, channel, posted.ts);
  return posted.ts;
}

/** Marks a comparison thread whose request was refused or invalid, so the channel is not left guessing. */
export async function markNotQueued(
  client: webApi.WebClient,
  channel: string,
  ts: string,
  user: string,
  command: string,
) {
  await client.chat.update({ channel, ts, ...notQueuedRoot(user, command) });
}
