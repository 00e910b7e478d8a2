/**
 * `npm run discord:register`: registers /faceoff for DISCORD_APPLICATION_ID, in DISCORD_GUILD_ID's server
 * when set (instant, for development) or globally, and prints the invite link.
 */
import { inviteUrl } from './client';
import { registerCommands } from './command-registration';
import { readDiscordConfig } from './config';

async function main(): Promise<number> {
  const config = readDiscordConfig(process.env);
  if (!config.ok) {
    console.error(config.error);
    return 2;
  }
  if (!config.value) {
    console.error(
      'Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (and DISCORD_GUILD_ID to register in one server).',
    );
    return 2;
  }
  const registration = await registerCommands(config.value);
  console.log(`Registered /${registration.names.join(', /')} (${registration.scope}).`);
  console.log(`Invite the bot: ${inviteUrl(config.value.applicationId)}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`discord:register: ${e.message}`);
    process.exit(1);
  },
);
