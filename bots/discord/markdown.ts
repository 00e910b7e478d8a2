import { neutralizeFences } from '../../src/render/text-grid';

/**
 * The core's light markdown (*bold*, _italic_, `code`) in Discord's dialect, where a single
 * asterisk is italic and bold takes two. Code spans and blocks are left as they are.
 */
export function toDiscordMarkdown(text: string): string {
  return text
    .split(/(```[\s\S]*?```|`[^`\n]*`)/)
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(/(^|[^*\w])\*([^\s*](?:[^*\n]*[^\s*])?)\*(?![*\w])/g, '$1**$2**'),
    )
    .join('');
}

/** Cuts text to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A fenced code block; a fence inside the text cannot end the block early. */
export function codeBlock(text: string): string {
  return `\`\`\`\n${neutralizeFences(text)}\n\`\`\``;
}
