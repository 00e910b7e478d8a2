import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BOT_PERMISSIONS, inviteUrl } from '../../../bots/discord/client';
import { DISCORD_DEFAULT_UPLOAD_BYTES, readDiscordConfig } from '../../../bots/discord/config';
import { discordRunners } from '../../../bots/discord/runner';
import { configuredPlatforms } from '../../../bots/platforms';

const APP = '1100000000000000100';

describe('Discord configuration', () => {
  it('absent: Discord is not configured and npm start does not run it', () => {
    assert.deepEqual(readDiscordConfig({}), { ok: true, value: undefined });
    assert.deepEqual(discordRunners({}), []);
  });

  it('token and application id: configured, with the optional API base, guild and dispatch roles', () => {
    const config = readDiscordConfig({
      DISCORD_TOKEN: 'secret',
      DISCORD_APPLICATION_ID: APP,
      DISCORD_API_URL: 'http://127.0.0.1:9999/api/',
      DISCORD_GUILD_ID: '1100000000000000001',
      FACEOFF_DISCORD_DISPATCH_ROLES: '1100000000000000301, 1100000000000000302',
    });
    assert.deepEqual(config, {
      ok: true,
      value: {
        token: 'secret',
        applicationId: APP,
        apiUrl: 'http://127.0.0.1:9999/api',
        guildId: '1100000000000000001',
        dispatchRoleIds: ['1100000000000000301', '1100000000000000302'],
      },
    });
    const names = configuredPlatforms({ DISCORD_TOKEN: 'secret', DISCORD_APPLICATION_ID: APP }).map(
      (p) => p.name,
    );
    assert.ok(names.includes('discord'));
  });

  it('FACEOFF_DISCORD_UPLOAD_LIMIT_MB sets the upload limit in MiB; absent, the runner uses 10 MiB', () => {
    const base = { DISCORD_TOKEN: 'secret', DISCORD_APPLICATION_ID: APP };
    const limit = (mb: string) => readDiscordConfig({ ...base, FACEOFF_DISCORD_UPLOAD_LIMIT_MB: mb });
    const bytes = (mb: string) => {
      const config = limit(mb);
      return config.ok ? config.value?.maxUploadBytes : config.error;
    };
    assert.equal(bytes('50'), 50 * 1024 ** 2);
    assert.equal(bytes(' 25 '), 25 * 1024 ** 2);
    assert.equal(bytes('0.5'), 512 * 1024);
    const plain = readDiscordConfig(base);
    assert.ok(plain.ok && plain.value && !('maxUploadBytes' in plain.value));
    assert.equal(DISCORD_DEFAULT_UPLOAD_BYTES, 10 * 1024 ** 2);
    for (const wrong of ['0', '-5', '501', 'ten', '1e3', '10MB']) {
      const config = limit(wrong);
      assert.ok(!config.ok, wrong);
      assert.match(
        config.error,
        /FACEOFF_DISCORD_UPLOAD_LIMIT_MB: ".+" is not a size in MiB from above 0 to 500/,
      );
    }
  });

  it('half or wrong configuration names every problem and never echoes the token', () => {
    const half = readDiscordConfig({ DISCORD_TOKEN: 'secret-token-value' });
    assert.equal(half.ok, false);
    assert.match(half.ok ? '' : half.error, /DISCORD_APPLICATION_ID: required/);
    assert.doesNotMatch(half.ok ? '' : half.error, /secret-token-value/);
    const wrong = readDiscordConfig({
      DISCORD_TOKEN: 't',
      DISCORD_APPLICATION_ID: 'faceoff',
      DISCORD_API_URL: 'discord.com',
      FACEOFF_DISCORD_DISPATCH_ROLES: 'admins',
    });
    const error = wrong.ok ? '' : wrong.error;
    assert.match(error, /DISCORD_APPLICATION_ID: "faceoff" is not a Discord id/);
    assert.match(error, /DISCORD_API_URL: not an http\(s\) URL/);
    assert.doesNotMatch(error, /discord\.com/, 'an unparseable URL is not echoed');
    assert.match(error, /FACEOFF_DISCORD_DISPATCH_ROLES: "admins" not role ids/);
    assert.throws(() => discordRunners({ DISCORD_TOKEN: 't' }), /DISCORD_APPLICATION_ID/);
  });

  it('the invite link asks for the bot and command scopes and the permissions the bot uses', () => {
    const url = new URL(inviteUrl(APP));
    assert.equal(url.searchParams.get('client_id'), APP);
    assert.equal(url.searchParams.get('scope'), 'bot applications.commands');
    assert.equal(url.searchParams.get('permissions'), String(BOT_PERMISSIONS));
    assert.equal(BOT_PERMISSIONS, 309237763072n);
  });
});
