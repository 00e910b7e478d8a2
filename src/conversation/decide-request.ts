/**
 * What `/faceoff decide ...` asks for, read from the typed command itself (not its tokens, so
 * "we don't know yet" reads as written): a comparison to decide with (`job=<id>`, or a job id
 * alone) and a description of the project to answer questions from.
 */
import type { IncomingEvent } from '../chat/incoming';
import { withoutPrefix } from '../commands/command-text';

/** A job id as the job system writes them: seven letters and digits, at least one digit. */
const JOB_ID = /^(?=.*[2-9])[2-9a-hjkmnp-z]{7}$/;

export interface DecideRequest {
  jobId?: string;
  text?: string;
}

function rawText(event: IncomingEvent): string {
  if (event.kind === 'choice') return event.value;
  if (event.kind === 'file') return event.text ?? '';
  return event.text;
}

export function decideRequest(event: IncomingEvent): DecideRequest {
  const body = withoutPrefix(rawText(event)).replace(/^\S+\s*/, '');
  const job = /(?:^|\s)job=("[^"]*"|'[^']*'|\S+)/i.exec(body);
  const jobId = job?.[1]?.replace(/^["']|["']$/g, '');
  const rest = (job ? body.slice(0, job.index) + body.slice(job.index + job[0].length) : body)
    .trim()
    .replace(/^"([\s\S]*)"$|^'([\s\S]*)'$/, '$1$2')
    .trim();
  if (!jobId && JOB_ID.test(rest.toLowerCase())) return { jobId: rest.toLowerCase() };
  return { ...(jobId ? { jobId } : {}), ...(rest ? { text: rest } : {}) };
}
