/**
 * The environment of every child process Faceoff starts (the trainer, the dataset validator): built
 * from an allow-list of what Python, torch, CUDA and Hugging Face need plus the trainer's own
 * settings, never copied whole. The bot's tokens, database and Redis URLs therefore never reach
 * a process that loads a model or runs model-generated code.
 */

/** Variables passed through by exact name. */
const ALLOWED_NAMES = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TERM',
  'LD_LIBRARY_PATH',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
  'CURL_CA_BUNDLE',
  'XDG_CACHE_HOME',
  'OMP_NUM_THREADS',
  'MKL_NUM_THREADS',
  'OPENBLAS_NUM_THREADS',
  'OPENBLAS_CORETYPE',
  'OPENBLAS_L2_SIZE',
  'TOKENIZERS_PARALLELISM',
  'PYTORCH_CUDA_ALLOC_CONF',
  'FACEOFF_CACHE_DIR',
  'FACEOFF_NUM_THREADS',
  'FACEOFF_UNSAFE_CODE_EVAL',
]);

/** Variables passed through by prefix: locale, Hugging Face, torch, CUDA and NCCL settings. */
const ALLOWED_PREFIXES = [
  'LC_',
  'HF_',
  'HUGGINGFACE_',
  'TRANSFORMERS_',
  'TORCH_',
  'CUDA_',
  'NVIDIA_',
  'NCCL_',
  'ACCELERATE_',
];

/** Extra names an operator passes through: `FACEOFF_TRAINER_ENV=WANDB_API_KEY,HTTPS_PROXY`. */
export const EXTRA_VARIABLES = 'FACEOFF_TRAINER_ENV';

export function isAllowedChildVariable(name: string, extra: ReadonlySet<string> = new Set()): boolean {
  return (
    ALLOWED_NAMES.has(name) || extra.has(name) || ALLOWED_PREFIXES.some((prefix) => name.startsWith(prefix))
  );
}

/**
 * The allowed part of `parent` (the lists above and the names in FACEOFF_TRAINER_ENV), then `overrides` on top (an undefined override removes the variable).
 * Overrides are the caller's own settings (PYTHONPATH, CUDA_VISIBLE_DEVICES) and are not filtered.
 */
export function childEnvironment(
  parent: Record<string, string | undefined> = process.env,
  overrides: Record<string, string | undefined> = {},
): Record<string, string> {
  const extra = new Set(
    (parent[EXTRA_VARIABLES] ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && isAllowedChildVariable(name, extra)) env[name] = value;
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}
