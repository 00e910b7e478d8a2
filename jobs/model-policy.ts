/**
 * The model policy on the file system: built-in names; Hugging Face ids matching a glob in
 * FACEOFF_MODEL_ALLOW; local directories whose real path (links resolved) lies under one of
 * FACEOFF_MODEL_ROOTS and outside the artifact and dataset directories. One error text for every
 * refusal, whether the path is missing, outside the roots or forbidden.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { suggestion } from '../src/commands/suggest';
import type { ModelLocation, ModelPolicy } from '../src/comparison/model-policy';
import { BUILTIN_MODELS } from '../src/comparison/request';
import { err, ok, type Result } from '../src/parsing/result';

export interface ModelPolicySettings {
  /** Glob patterns for Hugging Face ids, e.g. `HuggingFaceTB/*`. Empty: no hub ids. */
  allow: readonly string[];
  /** Directories under which local models may live. Empty: no local paths. */
  roots: readonly string[];
  /** Directories no model may come from or contain (artifacts of every team, shared datasets). */
  forbidden: readonly string[];
  /** Where relative paths are resolved (the worker's working directory). */
  cwd?: string;
}

const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;
const LOCAL_PATH = /^(\/|\.\.?\/)/;

const inside = (parent: string, child: string) => {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

async function real(dir: string): Promise<string | undefined> {
  try {
    return await realpath(dir);
  } catch {
    return undefined;
  }
}

export class FileModelPolicy implements ModelPolicy {
  private readonly allowed: (id: string) => boolean;

  constructor(private readonly settings: ModelPolicySettings) {
    const matchers = settings.allow.map((pattern) => picomatch(pattern));
    this.allowed = (id) => matchers.some((matches) => matches(id));
  }

  /** The one refusal, naming what is accepted. */
  refusal(model: string): string {
    const shown = model.length > 120 ? `${model.slice(0, 120)}…` : model;
    const hub = this.settings.allow.length
      ? `a Hugging Face id matching ${this.settings.allow.join(', ')}`
      : 'a Hugging Face id the operator allows (FACEOFF_MODEL_ALLOW; none are allowed now)';
    const local = this.settings.roots.length
      ? `a model directory under the configured model roots (FACEOFF_MODEL_ROOTS)`
      : 'a model directory under a model root (FACEOFF_MODEL_ROOTS; none are configured)';
    // A bare word is most likely a built-in name mistyped (`smollm2`, `tiny_s`).
    const close =
      HUB_ID.test(model) || LOCAL_PATH.test(model) ? undefined : suggestion(model, BUILTIN_MODELS);
    const meant = close ? ` (did you mean ${close}?)` : '';
    return `model: "${shown}" is not available here${meant}: use ${BUILTIN_MODELS.join(', ')}, ${hub}, or ${local}`;
  }

  async locate(model: string): Promise<Result<ModelLocation>> {
    if ((BUILTIN_MODELS as readonly string[]).includes(model)) return ok({ kind: 'builtin', name: model });
    if (HUB_ID.test(model) && !model.split('/').some((part) => part === '.' || part === '..')) {
      return this.allowed(model) ? ok({ kind: 'hub', id: model }) : err(this.refusal(model));
    }
    if (!LOCAL_PATH.test(model) || model.includes('\0')) return err(this.refusal(model));
    const found = await this.localDirectory(model);
    return found ? ok({ kind: 'local', path: found }) : err(this.refusal(model));
  }

  private async localDirectory(model: string): Promise<string | undefined> {
    const resolved = await real(path.resolve(this.settings.cwd ?? process.cwd(), model));
    if (!resolved) return undefined;
    try {
      if (!(await stat(resolved)).isDirectory()) return undefined;
    } catch {
      return undefined;
    }
    for (const dir of this.settings.forbidden) {
      const forbidden = await real(path.resolve(this.settings.cwd ?? process.cwd(), dir));
      if (forbidden && (inside(forbidden, resolved) || inside(resolved, forbidden))) return undefined;
    }
    for (const root of this.settings.roots) {
      const allowedRoot = await real(path.resolve(this.settings.cwd ?? process.cwd(), root));
      if (allowedRoot && inside(allowedRoot, resolved)) return resolved;
    }
    return undefined;
  }
}

/** FACEOFF_MODEL_ALLOW and FACEOFF_MODEL_ROOTS: comma-separated lists. */
export function readModelPolicySettings(
  env: Record<string, string | undefined>,
  forbidden: readonly string[],
): ModelPolicySettings {
  const list = (raw: string | undefined) =>
    (raw ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const allow = list(env.FACEOFF_MODEL_ALLOW);
  for (const pattern of allow) {
    if (!/^[\w.*?[\]{}!/-]+$/.test(pattern))
      throw new Error(
        `FACEOFF_MODEL_ALLOW: "${pattern}" is not a pattern of Hugging Face ids (e.g. HuggingFaceTB/*)`,
      );
  }
  return { allow, roots: list(env.FACEOFF_MODEL_ROOTS), forbidden };
}
