/**
 * `/faceoff adapter <job> [task] [method]`: the adapter a comparison chose, for the team to take
 * home. The run is the chosen learning rate's (and rank's) run of the task and method, of the seed
 * with the lowest validation loss; the reply names the base model, rank, alpha, targets, learning
 * rate and PEFT version from the run's own record, attaches the archive (or links to it) and shows
 * two lines that load it with PEFT.
 */
import { selectArms } from '../analysis/arms';
import { type RunLike, summaryOf, validationOnly } from '../analysis/run-summary';
import { fitsUpload, type PlatformCapabilities } from '../chat/platform-capabilities';
import type { Reply } from '../chat/replies';
import { formatBytes, formatNumber, formatRate } from '../format/units';
import { err, ok, type Result } from '../parsing/result';
import { quoted } from '../parsing/text';
import { isMethod, methodSpec } from '../tasks/methods';
import type { AdapterPackager } from './adapter-package';
import { methodLabel } from './results-table';

export type AdapterRun = RunLike & { artifactPath?: string | null };

export interface AdapterJob {
  id: string;
  state: string;
  runs: AdapterRun[];
  request?: unknown;
}

export interface ChosenAdapter {
  run: AdapterRun;
  /** Completed runs of the chosen grid point (one per seed). */
  seeds: number;
}

const isAdapterMethod = (method: string) => isMethod(method) && methodSpec(method).adapter;

/** Which run's adapter `adapter <job> [task] [method]` gives, or why there is none. */
export function chooseAdapterRun(job: AdapterJob, task?: string, method?: string): Result<ChosenAdapter> {
  const completed = job.runs.filter((r) => r.state === 'completed');
  const tasks = [...new Set(job.runs.map((r) => r.task))];
  if (task !== undefined && !tasks.includes(task)) {
    return err(`${job.id} has no task ${quoted(task)}; its tasks: ${tasks.join(', ')}`);
  }
  const adapterMethods = [...new Set(job.runs.map((r) => r.method).filter(isAdapterMethod))];
  if (method !== undefined && !isAdapterMethod(method)) {
    return err(
      `${isMethod(method) ? method : quoted(method)} makes no adapter${method === 'full' ? ' (full fine-tuning changes every weight; its weights are kept only where the deployment keeps full weights)' : ''}; ${job.id}'s adapter methods: ${adapterMethods.join(', ') || 'none'}`,
    );
  }
  const chosenTask = task ?? (tasks.length === 1 ? tasks[0] : undefined);
  if (chosenTask === undefined) {
    return err(
      `${job.id} compared ${tasks.length} tasks; name one: /faceoff adapter ${job.id} <task>, with <task> one of ${tasks.join(', ')}`,
    );
  }
  const chosenMethod = method ?? (adapterMethods.includes('lora') ? 'lora' : adapterMethods[0]);
  if (chosenMethod === undefined || !adapterMethods.includes(chosenMethod)) {
    return err(`${job.id} trained no ${chosenMethod ?? 'adapter'} runs`);
  }
  const arm = selectArms(completed.filter((r) => r.task === chosenTask && r.method === chosenMethod))[0];
  if (!arm || arm.runs.length === 0 || arm.chosenLr === undefined) {
    return err(
      `${job.id} has no completed ${methodLabel(chosenMethod)} run of ${chosenTask} yet (it is ${job.state}); try again when one has finished`,
    );
  }
  // a sweep point measured on the validation split only saved no adapter
  const atChoice = completed.filter(
    (r) =>
      !validationOnly(r) &&
      r.task === chosenTask &&
      r.method === chosenMethod &&
      r.learningRate === arm.chosenLr &&
      (arm.chosenRank === undefined || r.loraRank === arm.chosenRank),
  );
  const loss = (r: AdapterRun) => summaryOf(r)?.final_eval_loss ?? Number.POSITIVE_INFINITY;
  const best = [...atChoice].sort((a, b) => loss(a) - loss(b) || a.seed - b.seed)[0];
  if (!best) return err(`${job.id} has no completed run at its chosen learning rate`);
  return ok({ run: best, seeds: atChoice.length });
}

/** The archive's name: job, task, method and seed, in characters every platform and shell accept. */
export function adapterFilename(jobId: string, run: AdapterRun): string {
  const safe = (s: string) => s.replace(/[^\w.-]+/g, '_');
  return `${safe(jobId)}-${safe(run.task)}-${safe(run.method)}-seed${run.seed}.tar.gz`;
}

export async function adapterReply(
  job: AdapterJob,
  options: { task?: string; method?: string; platform: PlatformCapabilities; packager: AdapterPackager },
): Promise<Reply[]> {
  const chosen = chooseAdapterRun(job, options.task, options.method);
  if (!chosen.ok) return [{ text: `No adapter: ${chosen.error}.`, ephemeral: true }];
  const { run, seeds } = chosen.value;
  const filename = adapterFilename(job.id, run);
  const packed = await options.packager.pack(
    { id: run.id, jobId: job.id, artifactPath: run.artifactPath ?? null },
    filename,
    (bytes) => fitsUpload(options.platform, bytes),
  );
  if (!packed.ok) return [{ text: `No adapter: ${packed.error}.`, ephemeral: true }];
  const pkg = packed.value;
  const summary = summaryOf(run);
  const raw = (run.summary ?? {}) as { versions?: { peft?: string }; loss_unit?: string };
  const lora = summary?.lora;
  const baseModel = modelOf(job, summary?.model);
  const targets = lora ? (lora.targets_used ?? [lora.target_modules].flat()).join(', ') : 'n/a';
  const primary = summary?.primary_metric;
  const primaryValue = primary ? summary?.metrics[primary] : undefined;
  const lines = [
    `*${methodLabel(run.method)} adapter of ${job.id}*: ${run.task}, seed ${run.seed}` +
      (seeds > 1 ? ` (of ${seeds} at the chosen learning rate; the lowest validation loss)` : ''),
    `Base model: ${baseModel} · rank ${lora?.rank ?? 'n/a'} · alpha ${lora?.alpha ?? 'n/a'} · targets ${targets} · ` +
      `learning rate ${formatRate(run.learningRate)} · PEFT ${raw.versions?.peft ?? 'unknown'}`,
    `Measured by the run: validation loss ${formatNumber(summary?.final_eval_loss ?? null, 4)}` +
      (raw.loss_unit ? ` (${raw.loss_unit})` : '') +
      (primary && typeof primaryValue === 'number'
        ? `, ${primary} ${formatNumber(primaryValue)} on the test set`
        : ''),
  ];
  if (pkg.file) {
    lines.push(`Attached: ${pkg.filename} (${formatBytes(pkg.bytes)}).`);
  } else if (pkg.link) {
    const limit = options.platform.maxUploadBytes;
    lines.push(
      `${pkg.filename} is ${formatBytes(pkg.bytes)}${limit !== undefined ? `, over this platform's ${formatBytes(limit)} upload limit` : ''}: ` +
        `download it here until ${pkg.link.expiresAt.toISOString().replace(/\.\d+Z$/, 'Z')} (the link then expires): ${pkg.link.url}`,
    );
  } else {
    lines.push(
      `${pkg.filename} is ${formatBytes(pkg.bytes)}, over this platform's upload limit, and ${pkg.whereabouts ?? 'no link can be given'}.`,
    );
  }
  const dir = pkg.filename.replace(/\.tar\.gz$/, '');
  lines.push(
    `Load it with PEFT (after \`tar xzf ${pkg.filename}\`):`,
    '```',
    `from peft import PeftModel; from transformers import AutoModelForCausalLM`,
    `model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(${JSON.stringify(baseSource(baseModel))}), "${dir}/adapter")`,
    '```',
  );
  if (baseSource(baseModel) !== baseModel) lines.push(baseNote(baseModel));
  return [
    {
      text: lines.join('\n'),
      ...(pkg.file
        ? {
            files: [
              {
                filename: pkg.filename,
                path: pkg.file,
                bytes: pkg.bytes,
                contentType: 'application/gzip',
                title: `${methodLabel(run.method)} adapter, ${run.task}, seed ${run.seed}`,
              },
            ],
          }
        : {}),
      refs: { jobId: job.id },
    },
  ];
}

/** The model the request named (`tiny`, `smollm2-135m`, a hub id), else what the trainer reported. */
function modelOf(job: AdapterJob, reported: string | undefined): string {
  const requested = (job.request as { model?: unknown } | undefined)?.model;
  return typeof requested === 'string' ? requested : (reported ?? 'unknown');
}

/** What `from_pretrained` takes for the base: built-in models live in Faceoff's model cache. */
function baseSource(model: string): string {
  if (model === 'smollm2-135m' || /^tiny(-[sl])?$/.test(model)) return `<${model} directory>`;
  return model;
}

function baseNote(model: string): string {
  return model === 'smollm2-135m'
    ? 'The base is SmolLM2-135M-Instruct as Faceoff converts it from its Q4_1 GGUF (`python3 -m faceoff_trainer prepare-smollm2` prints its directory); the original Hugging Face weights differ slightly.'
    : `The base is Faceoff's built-in \`${model}\` model (\`python3 -m faceoff_trainer prepare-tiny --size ${model}\` prints its directory).`;
}
