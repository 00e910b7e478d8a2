/**
 * Discord payloads for tests, built from the recorded shapes in test/fixtures/discord/ with the
 * ids, options and text a test needs.
 */
import { readFileSync } from 'node:fs';

type Json = Record<string, unknown>;

const FIXTURES = new URL('../../fixtures/discord/', import.meta.url);

export function fixture<T = Json>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as T;
}

export const IDS = {
  guild: '1100000000000000001',
  channel: '1100000000000000010',
  noticesChannel: '1100000000000000011',
  /** A thread of the test channel that exists before the bot connects. */
  thread: '1100000000000000030',
  dm: '1100000000000000020',
  bot: '1100000000000000100',
  dispatchRole: '1100000000000000301',
  adminRole: '1100000000000000302',
} as const;

/** Members of the test server: alice manages it, carol has the dispatch role, bob has neither. */
export const PEOPLE = {
  alice: {
    id: '1100000000000000201',
    username: 'alice.ml',
    global_name: 'Alice',
    roles: [IDS.adminRole],
    permissions: '1071698660961',
  },
  bob: {
    id: '1100000000000000202',
    username: 'bob',
    global_name: 'Bob',
    roles: [],
    permissions: '1071698660929',
  },
  carol: {
    id: '1100000000000000203',
    username: 'carol',
    global_name: 'Carol',
    roles: [IDS.dispatchRole],
    permissions: '1071698660929',
  },
} as const;
export type Person = keyof typeof PEOPLE;

let counter = 0n;
/** Unique ids above the fixtures' range, one per call. */
export const nextId = () => String(1100000000000200000n + ++counter);

const userOf = (who: Person) => {
  const { roles: _r, permissions: _p, ...user } = PEOPLE[who];
  return { ...user, discriminator: '0', avatar: null, public_flags: 0 };
};

function asMember(payload: Json, who: Person): Json {
  const member = payload.member as Json;
  return {
    ...member,
    roles: [...PEOPLE[who].roles],
    permissions: PEOPLE[who].permissions,
    user: userOf(who),
  };
}

export interface Where {
  /** A thread of the test channel (its id), another channel of the server, or the DM; the test channel when absent. */
  thread?: string;
  channel?: string;
  dm?: boolean;
}

function placeInteraction(payload: Json, where: Where): Json {
  if (where.channel)
    return {
      ...payload,
      channel_id: where.channel,
      channel: { ...(payload.channel as Json), id: where.channel },
    };
  if (!where.thread) return payload;
  const channel = fixture<Json>('interaction-button').channel as Json;
  return { ...payload, channel_id: where.thread, channel: { ...channel, id: where.thread } };
}

export type OptionInput = { name: string; type: number; value: string | number | boolean; focused?: boolean };

/** A `/faceoff <subcommand>` chat-input interaction. */
export function slashCommand(
  subcommand: string,
  options: OptionInput[] = [],
  who: Person = 'alice',
  where: Where = {},
): Json {
  const base = fixture<Json>(where.dm ? 'interaction-command-dm' : 'interaction-command');
  const data = { ...(base.data as Json), options: [{ name: subcommand, type: 1, options }] };
  const id = nextId();
  const payload: Json = { ...base, id, token: `token-${id}`, data };
  if (where.dm) return payload;
  return placeInteraction({ ...payload, member: asMember(base, who) }, where);
}

export function autocomplete(subcommand: string, options: OptionInput[], who: Person = 'alice'): Json {
  const base = fixture<Json>('interaction-autocomplete');
  const id = nextId();
  const data = { ...(base.data as Json), options: [{ name: subcommand, type: 1, options }] };
  return { ...base, id, token: `token-${id}`, data, member: asMember(base, who) };
}

/** A press on a button (or a choice in a select menu, with `values`) of a message the bot posted. */
export function componentPress(
  customId: string,
  message: { id: string; channelId: string },
  who: Person = 'alice',
  values?: string[],
): Json {
  const base = fixture<Json>('interaction-button');
  const id = nextId();
  const data = values
    ? { component_type: 3, custom_id: customId, values }
    : { component_type: 2, custom_id: customId };
  const payload: Json = {
    ...base,
    id,
    token: `token-${id}`,
    data,
    member: asMember(base, who),
    message: { ...(base.message as Json), id: message.id, channel_id: message.channelId },
  };
  if (message.channelId === IDS.dm) {
    const dm = fixture<Json>('interaction-command-dm');
    const { member: _m, guild: _g, guild_id: _gid, guild_locale: _l, ...rest } = payload;
    return { ...rest, channel_id: IDS.dm, channel: dm.channel, context: 1, user: dm.user };
  }
  return placeInteraction(payload, { thread: message.channelId });
}

/** A typed message (with attachments) in a thread of the test channel, the channel itself, or the DM. */
export function typedMessage(
  content: string,
  where: Where & { channel?: string },
  who: Person = 'alice',
  attachments: Json[] = [],
): Json {
  const id = nextId();
  if (where.dm) return { ...fixture<Json>('message-create-dm'), id, nonce: id, content, attachments };
  const base = fixture<Json>('message-create');
  const channelId = where.thread ?? where.channel ?? IDS.channel;
  return {
    ...base,
    id,
    nonce: id,
    content,
    attachments,
    channel_id: channelId,
    channel_type: where.thread ? 11 : 0,
    author: userOf(who),
    member: { ...(base.member as Json), roles: [...PEOPLE[who].roles] },
  };
}

export function attachment(filename: string, size: number, url: string): Json {
  return { ...fixture<Json>('attachment'), id: nextId(), filename, size, url, proxy_url: url };
}
