import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PermissionsBitField } from 'discord.js';
import { dispatchingCommand, dispatchRefusal, mayDispatch } from '../../../bots/discord/dispatch-permission';
import { conversationFor, memberAccess } from '../../../bots/discord/identity';

const GUILD = '1100000000000000001';
const ROLE = '1100000000000000301';

describe('who may dispatch GPU jobs', () => {
  it('names the dispatching commands in slash text and typed text', () => {
    assert.equal(dispatchingCommand('compare task=all model=tiny'), 'compare');
    assert.equal(dispatchingCommand('/faceoff retry abc1234'), 'retry');
    assert.equal(dispatchingCommand('faceoff  COMPARE'), 'compare');
    assert.equal(dispatchingCommand('status abc1234'), undefined);
    assert.equal(dispatchingCommand('cancel abc1234'), undefined);
    assert.equal(dispatchingCommand(''), undefined);
  });

  it('Manage Server or a configured role in a server; nobody in DMs', () => {
    const access = (roles: string[], manage: boolean, guildId: string | null = GUILD) =>
      memberAccess(
        guildId,
        { roles } as never,
        new PermissionsBitField(manage ? ['ManageGuild', 'SendMessages'] : ['SendMessages']),
      );
    assert.equal(mayDispatch(access([], true), []), true);
    assert.equal(mayDispatch(access([ROLE], false), [ROLE]), true);
    assert.equal(mayDispatch(access([ROLE], false), []), false, 'roles count only when configured');
    assert.equal(mayDispatch(access(['other'], false), [ROLE]), false);
    assert.equal(mayDispatch(access([], true, null), [ROLE]), false);
    assert.equal(memberAccess(GUILD, null, null).manageGuild, false);
  });

  it('the refusal says who may and is private', () => {
    const refusal = dispatchRefusal('compare', { guildId: GUILD, manageGuild: false, roleIds: [] }, [ROLE]);
    assert.equal(refusal.ephemeral, true);
    assert.match(refusal.text, /Manage Server or one of the roles <@&1100000000000000301>/);
    assert.match(
      dispatchRefusal('retry', { guildId: null, manageGuild: false, roleIds: [] }, []).text,
      /only from a server/,
    );
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
