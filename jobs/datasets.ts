/**
 * Datasets shared in a conversation: streamed into a temporary file in the team's dataset directory,
 * checked by the trainer's own validator, and stored under their content hash only when valid: in
 * the team's dataset directory, or in the bucket under `datasets/<team>/<sha256>.jsonl` (once: a
 * file shared again is not uploaded again). Invalid files and failed transfers leave nothing behind.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { teamKey } from '../src/chat/conversation';
import { type DownloadedFile, type FileEvent, FileTransferError } from '../src/chat/incoming';
import type { Reply } from '../src/chat/replies';
import type { DatasetRepository } from '../src/persistence/index';
import { childEnvironment } from './child-environment';
import { datasetKey, type ObjectStore, StorageError } from './storage/object-store';

const run = promisify(execFile);

export const MAX_DATASET_BYTES = 50 * 1024 * 1024;
const SHOWN_ERRORS = 20;
const FORMAT_HINT = 'share a .jsonl file with {"prompt", "completion"} or {"messages": [...]} per line.';
/** The validator's report is small (at most 20 errors listed); anything longer is refused. */
const MAX_REPORT_BYTES = 1024 * 1024;

export interface DatasetIntakeOptions {
  datasets: Pick<DatasetRepository, 'register'>;
  /** Where datasets are kept (and, with a bucket, where they wait while checked). */
  directory: string;
  /** The bucket shared with workers on other hosts; without one the directory is the store. */
  store?: ObjectStore;
  python: string;
  /** Repository root (the trainer package lives in jobs/trainer). */
  root?: string;
}

export interface ValidationReport {
  ok: boolean;
  lines: number;
  /** The first problems (the validator lists at most 20). */
  errors: { line: number; message: string }[];
  /** Every problem found; older validators leave it out and list them all in `errors`. */
  error_count?: number;
  splits: { train: number; validation: number; test: number };
}

/** The validator's environment: the child allow-list (never tokens or DATABASE_URL) and the trainer path. */
export function validatorEnvironment(
  root: string,
  env: Record<string, string | undefined> = process.env,
): Record<string, string> {
  return childEnvironment(env, { PYTHONPATH: join(root, 'jobs', 'trainer'), HF_HUB_OFFLINE: '1' });
}

export class ValidatorError extends Error {
  override name = 'ValidatorError';
  constructor(
    message: string,
    /** The report passed its size limit: a file with more problems than an older validator lists briefly. */
    readonly reportTooLong = false,
  ) {
    super(message);
  }
}

/** Validates a trainer dataset with the trainer's own validator (one source of truth for the format). */
export async function validateDataset(
  path: string,
  python: string,
  root = process.cwd(),
): Promise<ValidationReport> {
  let stdout: string;
  try {
    ({ stdout } = await run(python, ['-m', 'faceoff_trainer', 'validate-dataset', '--path', path], {
      cwd: root,
      env: validatorEnvironment(root),
      timeout: 120_000,
      maxBuffer: MAX_REPORT_BYTES,
    }));
  } catch (e) {
    const failure = e as { code?: unknown; stdout?: string; message: string };
    if (failure.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
      throw new ValidatorError(
        `the dataset validator wrote more than ${MAX_REPORT_BYTES} bytes of report`,
        true,
      );
    }
    if (!failure.stdout) throw new ValidatorError(`the dataset validator could not run: ${failure.message}`);
    stdout = failure.stdout;
  }
  try {
    return JSON.parse(stdout) as ValidationReport;
  } catch {
    throw new ValidatorError('the dataset validator did not answer with a JSON report');
  }
}

/** Total problems: `error_count` when the validator gives it, else the ones listed. */
export const problemCount = (report: ValidationReport): number => report.error_count ?? report.errors.length;

/** The first 20 problems by line, then "... and N more". */
export function errorLines(report: ValidationReport): string[] {
  const shown = report.errors
    .slice(0, SHOWN_ERRORS)
    .map((e) => (e.line > 0 ? `line ${e.line}: ${e.message}` : e.message));
  const more = problemCount(report) - shown.length;
  return more > 0 ? [...shown, `... and ${more} more`] : shown;
}

/** A JSONL file shared in a conversation: downloaded, validated line by line, stored and registered. */
export async function registerSharedDataset(
  event: FileEvent,
  options: DatasetIntakeOptions,
): Promise<Reply[]> {
  const { file } = event;
  if (!/\.jsonl?$/i.test(file.name)) {
    return [
      {
        text: `${file.name} is not a dataset: ${FORMAT_HINT}`,
        ephemeral: true,
      },
    ];
  }
  if (file.size > MAX_DATASET_BYTES) {
    return [
      {
        text: `${file.name} is ${(file.size / 1048576).toFixed(1)} MB; datasets up to ${MAX_DATASET_BYTES / 1048576} MB are accepted.`,
        ephemeral: true,
      },
    ];
  }
  const team = teamKey(event.conversation);
  const directory = resolve(options.directory, team.replace(/[^\w-]/g, '_'));
  await mkdir(directory, { recursive: true });
  const incoming = join(directory, `.incoming-${randomUUID()}.jsonl`);
  try {
    let received: DownloadedFile;
    try {
      received = await file.download(incoming, MAX_DATASET_BYTES);
    } catch (e) {
      if (!(e instanceof FileTransferError)) throw e;
      return [{ text: `${file.name} was not registered: ${e.message}.`, ephemeral: true }];
    }
    const report = await validateDataset(incoming, options.python, options.root).catch((e: unknown) => {
      if (e instanceof ValidatorError && e.reportTooLong) return undefined;
      throw e;
    });
    if (!report) {
      return [{ text: `${file.name} was not registered: it has too many problems to list; ${FORMAT_HINT}` }];
    }
    if (!report.ok) {
      return [
        {
          text: [
            `${file.name} was not registered: ${problemCount(report)} problem(s) in ${report.lines} lines.`,
            ...errorLines(report),
          ].join('\n'),
        },
      ];
    }
    let path = join(directory, `${received.sha256}.jsonl`);
    if (options.store) {
      const key = datasetKey(team, received.sha256);
      try {
        if ((await options.store.head(key))?.bytes !== received.bytes) await options.store.put(key, incoming);
      } catch (e) {
        if (!(e instanceof StorageError)) throw e;
        return [
          {
            text: `${file.name} was not registered: it could not be stored (${e.message}). Share it again later.`,
          },
        ];
      }
      path = options.store.ref(key);
    } else {
      await rename(incoming, path);
    }
    const dataset = await options.datasets.register({
      teamKey: team,
      name: file.name,
      path,
      sha256: received.sha256,
      lineCount: report.lines,
      createdBy: event.user.id,
    });
    return [
      {
        text:
          `Registered *${dataset.id}* from ${file.name}: ${report.lines} lines, split ${report.splits.train} train / ` +
          `${report.splits.validation} validation / ${report.splits.test} test.\n` +
          `Compare on it: /faceoff compare task=${dataset.id} model=<model>`,
        refs: { datasetId: dataset.id },
      },
    ];
  } finally {
    await rm(incoming, { force: true });
  }
}
