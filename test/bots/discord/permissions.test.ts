import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PermissionsBitField } from 'discord.js';
import { discordDispatchRule } from '../../../bots/discord/dispatch-rule';
import { conversationFor, memberAccess } from '../../../bots/discord/identity';
import { AccessPolicy, ruleAllows } from '../../../src/access/access-policy';

const GUILD = '1100000000000000001';
const ROLE = '1100000000000000301';

describe('who may dispatch GPU jobs', () => {
  const conversation = (guildId: string | null) =>
    conversationFor({ channelId: 'C', guildId, isThread: false });
  const user = (roles: string[], manage: boolean, guildId: string | null = GUILD) => {
    const access = memberAccess(
      guildId,
      { roles } as never,
      new PermissionsBitField(manage ? ['ManageGuild', 'SendMessages'] : ['SendMessages']),
    );
    return { id: 'u', roles: access.roleIds, isAdmin: access.manageGuild };
  };

  it('Manage Server or a configured role in a server; nobody in DMs', () => {
    const allows = (u: ReturnType<typeof user>, roles: string[], guildId: string | null = GUILD) =>
      ruleAllows(discordDispatchRule(roles), u, conversation(guildId));
    assert.equal(allows(user([], true), []), true);
    assert.equal(allows(user([ROLE], false), [ROLE]), true);
    assert.equal(allows(user([ROLE], false), []), false, 'roles count only when configured');
    assert.equal(allows(user(['other'], false), [ROLE]), false);
    assert.equal(allows(user([], true, null), [ROLE], null), false);
    assert.equal(memberAccess(GUILD, null, null).manageGuild, false);
  });

  it('the refusal says who may', () => {
    const policy = new AccessPolicy();
    policy.register('discord', discordDispatchRule([ROLE]));
    assert.match(
      policy.refusal('`/faceoff compare`', conversation(GUILD)),
      /Manage Server or one of the roles <@&1100000000000000301>/,
    );
    assert.match(policy.refusal('`/faceoff retry`', conversation(null)), /only from a server/);
  });
});

describe('conversations', () => {
  it('a channel, a thread of it, and a DM', () => {
    assert.deepEqual(conversationFor({ channelId: 'C', guildId: 'G', isThread: false }), {
      platform: 'discord',
      workspace: 'G',
      channel: 'C',
    });
    assert.deepEqual(conversationFor({ channelId: 'T', guildId: 'G', parentId: 'C', isThread: true }), {
      platform: 'discord',
      workspace: 'G',
      channel: 'C',
      thread: 'T',
    });
    assert.deepEqual(conversationFor({ channelId: 'D', guildId: null, isThread: false }), {
      platform: 'discord',
      workspace: 'dm',
      channel: 'D',
    });
  });
});
