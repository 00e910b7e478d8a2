import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { teamKey } from '../src/chat/conversation';
import type { FileEvent } from '../src/chat/incoming';
import type { Reply } from '../src/chat/replies';
import type { DatasetRepository } from '../src/persistence/index';

const run = promisify(execFile);

export const MAX_DATASET_BYTES = 50 * 1024 * 1024;
const SHOWN_ERRORS = 20;

export interface DatasetIntakeOptions {
  datasets: Pick<DatasetRepository, 'register'>;
  /** Where datasets are kept; workers on other hosts must see the same path (shared storage). */
  directory: string;
  python: string;
  /** Repository root (the trainer package lives in jobs/trainer). */
  root?: string;
}

interface ValidationReport {
  ok: boolean;
  lines: number;
  errors: { line: number; message: string }[];
  splits: { train: number; validation: number; test: number };
}

/** Validates a trainer dataset with the trainer's own validator (one source of truth for the format). */
export async function validateDataset(
  path: string,
  python: string,
  root = process.cwd(),
): Promise<ValidationReport> {
  try {
    const { stdout } = await run(python, ['-m', 'faceoff_trainer', 'validate-dataset', '--path', path], {
      cwd: root,
      env: { ...process.env, PYTHONPATH: join(root, 'jobs', 'trainer'), HF_HUB_OFFLINE: '1' },
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(stdout) as ValidationReport;
  } catch (e) {
    const out = (e as { stdout?: string }).stdout;
    if (out) return JSON.parse(out) as ValidationReport;
    throw new Error(`the dataset validator could not run: ${(e as Error).message}`);
  }
}

function errorLines(report: ValidationReport): string[] {
  const shown = report.errors
    .slice(0, SHOWN_ERRORS)
    .map((e) => (e.line > 0 ? `line ${e.line}: ${e.message}` : e.message));
  const more = report.errors.length - shown.length;
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
        text: `${file.name} is not a dataset: share a .jsonl file with {"prompt", "completion"} or {"messages": [...]} per line.`,
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
  const bytes = await file.fetch();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const team = teamKey(event.conversation);
  const directory = resolve(options.directory, team.replace(/[^\w-]/g, '_'));
  await mkdir(directory, { recursive: true });
  const path = join(directory, `${sha256.slice(0, 16)}.jsonl`);
  await writeFile(path, bytes);
  const report = await validateDataset(path, options.python, options.root);
  if (!report.ok) {
    return [
      {
        text: [
          `${file.name} was not registered: ${report.errors.length} problem(s) in ${report.lines} lines.`,
          ...errorLines(report),
        ].join('\n'),
      },
    ];
  }
  const dataset = await options.datasets.register({
    teamKey: team,
    name: file.name,
    path,
    sha256,
    lineCount: report.lines,
    createdBy: event.user.id,
  });
  return [
    {
      text:
        `Registered *${dataset.id}* from ${file.name}: ${report.lines} lines, split ${report.splits.train} train / ` +
        `${report.splits.validation} validation / ${report.splits.test} test.\n` +
        `Compare on it: /faceoff compare task=${dataset.id} model=<model>`,
    },
  ];
}
