/**
 * The Slack adapter: the Bolt app with every listener registered, the notifier poster for platform
 * `slack`, and the start and stop of the transport.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App, LogLevel } from '@slack/bolt';
import { parseConversationKey } from '../../src/chat/conversation';
import { SecretBox } from '../../src/persistence/index';
import type { ChatMetrics } from '../chat-metrics';
import type { FaceoffApp } from '../compose';
import { InFlight, type InFlightOptions } from '../in-flight';
import * as actions from './actions/index';
import { createBoltApp, webClientOptions } from './bolt-app';
import { boltLogger } from './bolt-logger';
import * as commands from './commands/index';
import type { SlackConfig } from './config';
import type { SlackDeps } from './deps';
import { slackDispatchRule } from './dispatch-rule';
import { databaseInstallationStore } from './installation-store';
import * as installationEvents from './installations/index';
import * as messages from './messages/index';
import { PostedMessages } from './post/posted-messages';
import { SlackPoster, slackErrorCode } from './post/poster';
import { SLACK_CAPABILITIES } from './post/uploads';
import { UserDirectory } from './user-directory';
import { UserGroups } from './user-groups';
import * as views from './views/index';
import { WorkspaceClients } from './workspace-clients';

export interface SlackAdapterOptions {
  /** HTTP mode: the port to listen on (0 picks a free one); default the configured PORT. */
  port?: number;
  logLevel?: LogLevel;
  apiRetries?: number;
  /** Counts Slack API calls and slash command acknowledgements. */
  metrics?: ChatMetrics;
  log?: (message: string) => void;
  /** Bolt's own lines go through `log` too (default: Bolt's console logger). */
  boltToLog?: boolean;
  /** How work after an acknowledgement is scheduled (default: see InFlight). */
  inFlight?: InFlightOptions;
}

export interface SlackAdapter {
  app: App;
  /** HTTP mode: the port listened on. */
  port: number | undefined;
  /** Resolves when every handler that was started has finished. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSlackAdapter(
  faceoff: Pick<FaceoffApp, 'engine' | 'repositories' | 'notifier'>,
  config: SlackConfig,
  options: SlackAdapterOptions = {},
): Promise<SlackAdapter> {
  const log = options.log ?? ((m: string) => console.error(m));
  const retries = options.apiRetries ?? 2;
  const installations =
    config.auth.kind === 'oauth'
      ? faceoff.repositories.slackInstallations.withSecretBox(new SecretBox(config.auth.tokenKey), log)
      : undefined;
  if (installations) {
    const { sealed, unreadable } = await installations.sealPlainInstallations();
    if (sealed) log(`slack: encrypted the tokens of ${sealed} installation(s) stored in plain text`);
    if (unreadable) {
      log(
        `slack: ${unreadable} installation(s) do not decrypt with FACEOFF_SLACK_TOKEN_KEY; those workspaces must reinstall the app, or restore the key they were stored with`,
      );
    }
  }
  const installationStore = installations ? databaseInstallationStore(installations) : undefined;
  const app = createBoltApp(config, {
    ...(installationStore ? { installationStore } : {}),
    ...(options.logLevel !== undefined ? { logLevel: options.logLevel } : {}),
    apiRetries: retries,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.boltToLog ? { logger: boltLogger(log) } : {}),
  });
  const clients = new WorkspaceClients(
    installationStore
      ? {
          kind: 'installations',
          store: installationStore,
          clientOptions: webClientOptions(config, retries, options.metrics),
        }
      : { kind: 'single', client: app.client },
  );
  const posted = new PostedMessages(faceoff.repositories.postedMessages);
  const poster = new SlackPoster(posted, log);
  const deps: SlackDeps = {
    config,
    engine: faceoff.engine,
    repositories: faceoff.repositories,
    posted,
    poster,
    users: new UserDirectory(new UserGroups(config.dispatchGroup, log)),
    inFlight: new InFlight(options.inFlight),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    installations: installations && {
      remove: async (query) => {
        await installations.deleteInstallation(query);
        clients.forget(query.isEnterpriseInstall ? undefined : query.teamId);
      },
    },
    log,
  };
  faceoff.engine.access.register('slack', slackDispatchRule(config));
  faceoff.engine.platforms.register('slack', SLACK_CAPABILITIES);
  for (const folder of [commands, actions, views, messages, installationEvents]) folder.register(app, deps);
  app.error(async (e) => log(`slack: ${slackErrorCode(e) ?? e.message}`));

  faceoff.notifier.register('slack', async (key, reply) => {
    const conversation = parseConversationKey(key);
    await poster.deliver({ client: await clients.forTeam(conversation.workspace), conversation }, [reply]);
  });

  let port: number | undefined;
  if (config.transport.kind === 'http') {
    const server = (await app.start(options.port ?? config.transport.port)) as Server;
    port = (server.address() as AddressInfo).port;
  } else {
    await app.start();
  }
  return {
    app,
    port,
    settled: () => deps.inFlight.settled(),
    stop: async () => {
      await app.stop();
      await deps.inFlight.settled();
    },
  };
}
