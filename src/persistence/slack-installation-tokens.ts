/**
 * The secret fields of a stored Slack installation (bot and user tokens, their refresh tokens, the
 * incoming-webhook URL), sealed with a SecretBox before they reach the database and opened after.
 * Each value is bound to its field name, so a sealed token moved to another field does not open.
 */
import { SecretBox, SecretBoxError } from './secret-box.js';

export const SECRET_FIELDS = [
  ['bot', 'token'],
  ['bot', 'refreshToken'],
  ['user', 'token'],
  ['user', 'refreshToken'],
  ['incomingWebhook', 'url'],
] as const;

type Fields = Record<string, unknown>;

const context = (group: string, field: string) => `slack-installation.${group}.${field}`;

/** A copy with every secret field passed through `change` (the rest as it is). */
function mapSecrets<T extends Fields>(
  installation: T,
  change: (value: string, context: string) => string,
): T {
  const copy: Fields = { ...installation };
  for (const [group, field] of SECRET_FIELDS) {
    const holder = copy[group];
    if (!holder || typeof holder !== 'object') continue;
    const value = (holder as Fields)[field];
    if (typeof value !== 'string' || value === '') continue;
    copy[group] = { ...(copy[group] as Fields), [field]: change(value, context(group, field)) };
  }
  return copy as T;
}

/** Every secret sealed; values sealed already are kept. */
export function sealTokens<T extends Fields>(installation: T, box: SecretBox): T {
  return mapSecrets(installation, (value, ctx) => (SecretBox.isSealed(value) ? value : box.seal(value, ctx)));
}

/** Names of the secret fields stored in plain text (written before tokens were encrypted). */
export function plainTokens(installation: Fields): string[] {
  const plain: string[] = [];
  mapSecrets(installation, (value, ctx) => {
    if (!SecretBox.isSealed(value)) plain.push(ctx.replace(/^slack-installation\./, ''));
    return value;
  });
  return plain;
}

/** Every secret opened; a SecretBoxError when one is plain, or does not open with this key. */
export function openTokens<T extends Fields>(installation: T, box: SecretBox): T {
  return mapSecrets(installation, (value, ctx) => {
    if (!SecretBox.isSealed(value)) throw new SecretBoxError(`${ctx} is stored in plain text`);
    return box.open(value, ctx);
  });
}
