/** Discord custom ids carry the neutral action id and value: `faceoff|<actionId>|<value>`, at most 100 characters. */
const PREFIX = 'faceoff|';
export const MAX_CUSTOM_ID = 100;

export function encodeCustomId(actionId: string, value: string): string | undefined {
  const id = `${PREFIX}${actionId}|${value}`;
  return id.length <= MAX_CUSTOM_ID && !actionId.includes('|') ? id : undefined;
}

export function decodeCustomId(customId: string): { actionId: string; value: string } | undefined {
  if (!customId.startsWith(PREFIX)) return undefined;
  const rest = customId.slice(PREFIX.length);
  const bar = rest.indexOf('|');
  if (bar <= 0) return undefined;
  return { actionId: rest.slice(0, bar), value: rest.slice(bar + 1) };
}
