/** Reading what the bot sent to the fake Discord. */
import type { FakeDiscord, RestCall } from './fake-discord';
import { IDS, type OptionInput, type Person, slashCommand, type Where } from './payloads';

type Json = Record<string, unknown>;

const EPHEMERAL = 64;

/** Everything a user would read in a message: content, embed titles, descriptions and fields. */
export function textOf(call: RestCall | undefined): string {
  const body = call?.body ?? {};
  const embeds = (body.embeds as Json[] | undefined) ?? [];
  return [
    body.content ?? '',
    ...embeds.flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      ...((e.fields as Json[] | undefined) ?? []).map((f) => `${f.name}: ${f.value}`),
    ]),
  ].join('\n');
}

/** The custom ids of the buttons and menus a message carries. */
export function customIds(call: RestCall): string[] {
  const rows = (call.body?.components as { components: { custom_id?: string }[] }[] | undefined) ?? [];
  return rows.flatMap((r) => r.components.map((c) => c.custom_id ?? ''));
}

export const messageIdOf = (call: RestCall) => (call.response as { id: string }).id;

export const isPost = (channelId: string) => (c: RestCall) =>
  c.method === 'POST' && c.path === `/channels/${channelId}/messages`;
export const isEdit = (channelId: string, messageId?: string) => (c: RestCall) =>
  c.method === 'PATCH' &&
  (messageId
    ? c.path === `/channels/${channelId}/messages/${messageId}`
    : c.path.startsWith(`/channels/${channelId}/messages/`));
export const isOriginal = (token: string) => (c: RestCall) =>
  c.method === 'PATCH' && c.path === `/webhooks/${IDS.bot}/${token}/messages/@original`;
export const isEphemeral = (token: string) => (c: RestCall) =>
  c.method === 'POST' &&
  c.path === `/webhooks/${IDS.bot}/${token}` &&
  ((c.body?.flags as number) & EPHEMERAL) === EPHEMERAL;
export const isCallback = (id: string, token: string) => (c: RestCall) =>
  c.path === `/interactions/${id}/${token}/callback`;

export interface Answer {
  id: string;
  token: string;
  /** The deferral: `{type: 5}`, with `data.flags` 64 when deferred privately. */
  callback: RestCall;
  /** The filled deferred response (public, or private when deferred privately), the ephemeral follow-up that replaced it, or its removal (replies went to the channel). */
  answer: RestCall;
  ephemeral: boolean;
}

/** Runs `/faceoff <subcommand>` and waits for its answer (public or ephemeral). */
export async function slash(
  fake: FakeDiscord,
  subcommand: string,
  options: OptionInput[] = [],
  who: Person = 'alice',
  where: Where = {},
  /** `removed`: every reply went to the channel and the deferred response is deleted. */
  expect: 'response' | 'removed' = 'response',
): Promise<Answer> {
  const from = fake.calls.length;
  const { id, token } = fake.interact(slashCommand(subcommand, options, who, where));
  const callback = await fake.waitForCall(isCallback(id, token), from);
  const removed = (c: RestCall) =>
    c.method === 'DELETE' && c.path === `/webhooks/${IDS.bot}/${token}/messages/@original`;
  const settled =
    expect === 'removed' ? removed : (c: RestCall) => isOriginal(token)(c) || isEphemeral(token)(c);
  const answer = await fake.waitForCall(settled, from, 30_000);
  const deferredPrivately = ((callback.body?.data as Json | undefined)?.flags as number) === EPHEMERAL;
  return {
    id,
    token,
    callback,
    answer,
    ephemeral: isEphemeral(token)(answer) || (isOriginal(token)(answer) && deferredPrivately),
  };
}

export const str = (name: string, value: string): OptionInput => ({ name, type: 3, value });
export const int = (name: string, value: number): OptionInput => ({ name, type: 4, value });
export const bool = (name: string, value: boolean): OptionInput => ({ name, type: 5, value });
