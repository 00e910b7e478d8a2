"""Run configuration: one dataclass, parsed and validated from a JSON object.

Every problem is reported as a `BadConfig` naming the field and what was expected, so the
CLI can emit a `failed` event of kind "bad_config" and exit 2.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from faceoff_trainer.errors import BadConfig
from faceoff_trainer.framework import load_framework
from faceoff_trainer.skill_suites import TASK_SKILLS

TASKS: tuple[str, ...] = load_framework().task_ids
DATASET_TASK = "dataset"
METHODS: tuple[str, ...] = load_framework().method_ids
DTYPES: tuple[str, ...] = ("auto", "float32", "bfloat16", "float16")
TARGET_KEYWORDS: tuple[str, ...] = ("all-linear", "attention", "mlp")
RANK_RULES: tuple[str, ...] = ("preset", "scaled")

DEFAULT_EVAL_SIZE = 256
DEFAULT_TEST_SIZE = 120
# Defaults of a built-in model where the general ones do not fit it (a field given in the config
# wins). SmolLM2-135M on 2 CPU cores: batch 8 keeps a full fine-tuning step near 10 s, and 192
# tokens hold every suite's chat-templated prompt with its reference answer.
BUILTIN_MODEL_DEFAULTS: dict[str, dict[str, int]] = {
    "smollm2-135m": {"batch_size": 8, "seq_len": 192},
}

# Skills (a run's `skill`, `skill_datasets`, and the `combine` command's adapters).
ALL_SKILLS = "all"  # `skill: "all"`: multi-task training on the union of the skills' sets
COMBINED_SET = "combined"  # the test set that needs every skill at once
SKILL_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
RESERVED_SKILL_NAMES: tuple[str, ...] = (ALL_SKILLS, COMBINED_SET)
MIN_SKILL_DATASETS = 2
MAX_SKILL_DATASETS = 6
# PEFT's add_weighted_adapter combination types the `combine` command offers.
COMBINATIONS: tuple[str, ...] = ("linear", "ties", "dare_linear", "dare_ties", "cat")
DENSITY_COMBINATIONS: tuple[str, ...] = ("ties", "dare_linear", "dare_ties")
DEFAULT_DENSITY = 0.5
# Default weights: 1/k where PEFT sums the weighted adapters (linear, dare_linear: a weighted
# average of the k adapters); 1.0 where it averages by itself (ties, dare_ties: the disjoint merge
# divides by the number of adapters that agree) or keeps each adapter exact (cat: the combined
# update is the weighted sum of the adapters' updates, so 1.0 keeps each one at full strength).
AVERAGED_BY_WEIGHT: tuple[str, ...] = ("linear", "dare_linear")


@dataclass(frozen=True)
class LoraOverrides:
    """Optional overrides of the per-task LoRA preset (None keeps the preset)."""

    r: int | None = None
    alpha: float | None = None
    dropout: float | None = None
    target_modules: str | tuple[str, ...] | None = None
    rank_rule: str = "preset"  # "scaled": shrink the preset rank with the model's width


@dataclass(frozen=True)
class RunConfig:
    run_id: str
    task: str
    model: str = "tiny"
    method: str = "lora"
    seed: int = 0
    max_steps: int = 100
    batch_size: int = 16
    seq_len: int = 512
    learning_rate: float | None = None
    lora: LoraOverrides = field(default_factory=LoraOverrides)
    dataset_path: str | None = None
    eval_every: int = 50
    eval_size: int | None = None
    test_size: int | None = None
    test_paraphrases: int | None = None
    max_new_tokens: int | None = None
    gpus: int = 0
    dtype: str = "auto"
    gradient_checkpointing: bool = False
    # False: a sweep point measured on the validation split only; no test generation, quality
    # curve, artifact or deployment probe (the point chosen is trained again with the test set)
    test_set: bool = True
    # requests of the deployment probe after training (0: not measured; None: by the evaluation
    # plan, eval_plan.py: 8, or 2 for a real model on a CPU); see deployment.py
    deploy_requests: int | None = None
    # test items scored with the primary metric along training (0: not measured; None: by the
    # evaluation plan, eval_plan.py: 16, or 8 for a real model on a CPU)
    checkpoint_eval_size: int | None = None
    # evaluation points before the last at which they are scored (spread evenly; None: 3, or 1 for
    # a real model on a CPU); the last point reuses the test evaluation's outputs for the same
    # items, so it costs no generation
    quality_checkpoints: int | None = None
    # steps between training checkpoints a retried run resumes from (checkpoint.py); None: every
    # max(1, max_steps // 4) steps but not within a minute of the last one, and at least every
    # 10 minutes; 0: none written
    checkpoint_every: int | None = None
    # general-text documents whose loss is measured before and after training (forgetting.py);
    # None: by the evaluation plan (32, or 8 for a real model on a CPU); 0: not measured
    forgetting_texts: int | None = None
    # None: the task's own training set; a skill name: that skill's training set only; "all":
    # the union of every skill's training set (multi-task). See skills.py.
    skill: str | None = None
    # task "dataset" with one JSONL file per skill instead of dataset_path: {skill name: path}
    skill_datasets: dict[str, str] | None = None

    @property
    def resolved_eval_size(self) -> int:
        return self.eval_size if self.eval_size is not None else DEFAULT_EVAL_SIZE

    @property
    def resolved_test_size(self) -> int:
        return self.test_size if self.test_size is not None else DEFAULT_TEST_SIZE


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int(raw: dict[str, Any], name: str, minimum: int, optional: bool = False) -> int | None:
    value = raw[name]
    if value is None and optional:
        return None
    if not _is_int(value) or value < minimum:
        expected = f"an integer >= {minimum}" + (" or null" if optional else "")
        raise BadConfig(name, f"expected {expected}, got {json.dumps(value)}")
    return value


def _choice(raw: dict[str, Any], name: str, choices: tuple[str, ...]) -> str:
    value = raw[name]
    if value not in choices:
        raise BadConfig(name, f"expected one of {list(choices)}, got {json.dumps(value)}")
    return value


def _parse_lora(value: Any) -> LoraOverrides:
    if value is None:
        return LoraOverrides()
    if not isinstance(value, dict):
        raise BadConfig("lora", f"expected an object or null, got {json.dumps(value)}")
    allowed = {f.name for f in fields(LoraOverrides)}
    for key in value:
        if key not in allowed:
            raise BadConfig(f"lora.{key}", f"unknown field; allowed: {sorted(allowed)}")
    r = value.get("r")
    if r is not None and (not _is_int(r) or r < 1):
        raise BadConfig("lora.r", f"expected an integer >= 1, got {json.dumps(r)}")
    alpha = value.get("alpha")
    if alpha is not None and (not isinstance(alpha, int | float) or isinstance(alpha, bool)):
        raise BadConfig("lora.alpha", f"expected a positive number, got {json.dumps(alpha)}")
    if alpha is not None and alpha <= 0:
        raise BadConfig("lora.alpha", f"expected a positive number, got {json.dumps(alpha)}")
    dropout = value.get("dropout")
    if dropout is not None and (
        not isinstance(dropout, int | float) or isinstance(dropout, bool) or not 0 <= dropout < 1
    ):
        raise BadConfig("lora.dropout", f"expected a number in [0, 1), got {json.dumps(dropout)}")
    targets = value.get("target_modules")
    parsed_targets: str | tuple[str, ...] | None = None
    if isinstance(targets, str):
        if targets not in TARGET_KEYWORDS:
            raise BadConfig(
                "lora.target_modules",
                'expected "all-linear", "attention", "mlp" or a list of module names, '
                f'got "{targets}"',
            )
        parsed_targets = targets
    elif isinstance(targets, list):
        if not targets or not all(isinstance(t, str) and t for t in targets):
            raise BadConfig("lora.target_modules", "expected a non-empty list of module names")
        parsed_targets = tuple(targets)
    elif targets is not None:
        raise BadConfig(
            "lora.target_modules",
            'expected "all-linear", "attention", "mlp" or a list of names, '
            f"got {json.dumps(targets)}",
        )
    rank_rule = value.get("rank_rule", "preset")
    if rank_rule not in RANK_RULES:
        raise BadConfig(
            "lora.rank_rule", f"expected one of {list(RANK_RULES)}, got {json.dumps(rank_rule)}"
        )
    return LoraOverrides(
        r=r,
        alpha=float(alpha) if alpha is not None else None,
        dropout=float(dropout) if dropout is not None else None,
        target_modules=parsed_targets,
        rank_rule=rank_rule,
    )


def skill_names(task: str, skill_datasets: dict[str, str] | None) -> tuple[str, ...]:
    """The skills a task has: its suite's, or the user's skill datasets' (empty: none)."""
    if skill_datasets is not None:
        return tuple(skill_datasets)
    return TASK_SKILLS.get(task, ())


def _parse_skill_datasets(value: Any, task: str) -> dict[str, str] | None:
    if value is None:
        return None
    if task != DATASET_TASK:
        raise BadConfig("skill_datasets", 'only allowed when task is "dataset"')
    if not isinstance(value, dict):
        raise BadConfig(
            "skill_datasets",
            f"expected an object {{skill name: JSONL file path}}, got {_short(value)}",
        )
    if not MIN_SKILL_DATASETS <= len(value) <= MAX_SKILL_DATASETS:
        raise BadConfig(
            "skill_datasets",
            f"expected {MIN_SKILL_DATASETS} to {MAX_SKILL_DATASETS} skills, got {len(value)}",
        )
    for name, path in value.items():
        _check_skill_name("skill_datasets", name)
        if not isinstance(path, str) or not path:
            raise BadConfig(
                f"skill_datasets.{name}", f"expected a JSONL file path, got {_short(path)}"
            )
        if not Path(path).is_file():
            raise BadConfig(f"skill_datasets.{name}", f"file not found: {path}")
    return dict(value)


def _check_skill_name(field_name: str, name: str) -> None:
    if not SKILL_NAME.match(name) or name in RESERVED_SKILL_NAMES:
        raise BadConfig(
            field_name,
            f"skill name {_short(name)} must match {SKILL_NAME.pattern} and not be one of "
            f"{list(RESERVED_SKILL_NAMES)}",
        )


def _parse_skill(value: Any, task: str, skill_datasets: dict[str, str] | None) -> str | None:
    if value is None:
        if skill_datasets is not None:
            raise BadConfig(
                "skill",
                f'required with skill_datasets: one of {list(skill_datasets)} or "{ALL_SKILLS}"',
            )
        return None
    names = skill_names(task, skill_datasets)
    if not names:
        with_skills = [t for t in TASKS if t in TASK_SKILLS]
        raise BadConfig(
            "skill",
            f"task {task} has no skills: skill is only for {with_skills}, or task "
            f'"{DATASET_TASK}" with skill_datasets; got {_short(value)}',
        )
    if value not in (*names, ALL_SKILLS):
        raise BadConfig(
            "skill", f'expected null, one of {list(names)} or "{ALL_SKILLS}", got {_short(value)}'
        )
    return value


def _short(value: Any) -> str:
    """A value for an error message, cut to a readable length."""
    text = json.dumps(value, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def parse_config(raw: Any) -> RunConfig:
    """Validate a decoded JSON object and return a RunConfig (raises BadConfig)."""
    if not isinstance(raw, dict):
        raise BadConfig("(root)", "expected a JSON object")
    known = {f.name for f in fields(RunConfig)}
    for key in raw:
        if key not in known:
            raise BadConfig(key, f"unknown field; allowed fields: {sorted(known)}")
    for required in ("run_id", "task"):
        if required not in raw:
            raise BadConfig(required, "missing required field")
    defaults = RunConfig(run_id="x", task=TASKS[0])
    merged: dict[str, Any] = {f.name: getattr(defaults, f.name) for f in fields(RunConfig)}
    merged["lora"] = None
    named = raw.get("model")
    merged.update(BUILTIN_MODEL_DEFAULTS.get(named, {}) if isinstance(named, str) else {})
    merged.update(raw)

    run_id = merged["run_id"]
    if not isinstance(run_id, str) or not run_id.strip():
        raise BadConfig("run_id", f"expected a non-empty string, got {json.dumps(run_id)}")
    task = _choice(merged, "task", (*TASKS, DATASET_TASK))
    skill_datasets = _parse_skill_datasets(merged["skill_datasets"], task)
    skill = _parse_skill(merged["skill"], task, skill_datasets)
    dataset_path = merged["dataset_path"]
    if skill_datasets is not None and dataset_path is not None:
        raise BadConfig("dataset_path", "not allowed with skill_datasets (one file per skill)")
    if task == DATASET_TASK and skill_datasets is None:
        if not isinstance(dataset_path, str) or not dataset_path:
            raise BadConfig("dataset_path", 'required (a JSONL file path) when task is "dataset"')
        if not Path(dataset_path).is_file():
            raise BadConfig("dataset_path", f"file not found: {dataset_path}")
    elif dataset_path is not None:
        raise BadConfig("dataset_path", 'only allowed when task is "dataset"')
    model = merged["model"]
    if not isinstance(model, str) or not model:
        raise BadConfig("model", 'expected "tiny" or a model id / local path')
    lr = merged["learning_rate"]
    if lr is not None and (
        not isinstance(lr, int | float) or isinstance(lr, bool) or not 0 < lr < 1
    ):
        raise BadConfig("learning_rate", f"expected a number in (0, 1) or null, got {lr!r}")
    grad_ckpt = merged["gradient_checkpointing"]
    if not isinstance(grad_ckpt, bool):
        raise BadConfig("gradient_checkpointing", f"expected true or false, got {grad_ckpt!r}")
    test_set = merged["test_set"]
    if not isinstance(test_set, bool):
        raise BadConfig("test_set", f"expected true or false, got {_short(test_set)}")
    seed = merged["seed"]
    if not _is_int(seed):
        raise BadConfig("seed", f"expected an integer, got {json.dumps(seed)}")

    return RunConfig(
        run_id=run_id,
        task=task,
        model=model,
        method=_choice(merged, "method", METHODS),
        seed=seed,
        max_steps=_int(merged, "max_steps", 1) or 1,
        batch_size=_int(merged, "batch_size", 1) or 1,
        seq_len=_int(merged, "seq_len", 16) or 16,
        learning_rate=float(lr) if lr is not None else None,
        lora=_parse_lora(merged["lora"]),
        dataset_path=dataset_path,
        eval_every=_int(merged, "eval_every", 1) or 1,
        eval_size=_int(merged, "eval_size", 1, optional=True),
        test_size=_int(merged, "test_size", 1, optional=True),
        test_paraphrases=_int(merged, "test_paraphrases", 1, optional=True),
        max_new_tokens=_int(merged, "max_new_tokens", 1, optional=True),
        gpus=_int(merged, "gpus", 0) or 0,
        dtype=_choice(merged, "dtype", DTYPES),
        gradient_checkpointing=grad_ckpt,
        test_set=test_set,
        deploy_requests=_int(merged, "deploy_requests", 0, optional=True),
        checkpoint_eval_size=_int(merged, "checkpoint_eval_size", 0, optional=True),
        quality_checkpoints=_int(merged, "quality_checkpoints", 0, optional=True),
        checkpoint_every=_int(merged, "checkpoint_every", 0, optional=True),
        forgetting_texts=_int(merged, "forgetting_texts", 0, optional=True),
        skill=skill,
        skill_datasets=skill_datasets,
    )


def _read_json_config(path: str | Path) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise BadConfig("--config", f"cannot read {path}: {exc.strerror}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadConfig("--config", f"not valid JSON at line {exc.lineno}: {exc.msg}") from exc


def load_config(path: str | Path) -> RunConfig:
    """Read and validate a config file (raises BadConfig for unreadable or invalid JSON)."""
    return parse_config(_read_json_config(path))


def peek_run_id(path: str | Path) -> str | None:
    """Best-effort run_id for error events when the config itself is invalid."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = raw.get("run_id") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None


def config_to_dict(config: RunConfig) -> dict[str, Any]:
    out: dict[str, Any] = {f.name: getattr(config, f.name) for f in fields(RunConfig)}
    for optional in ("skill", "skill_datasets"):  # a run without skills: as before they existed
        if out[optional] is None:
            del out[optional]
    lora = config.lora
    targets = lora.target_modules
    out["lora"] = {
        "r": lora.r,
        "alpha": lora.alpha,
        "dropout": lora.dropout,
        "target_modules": list(targets) if isinstance(targets, tuple) else targets,
        "rank_rule": lora.rank_rule,
    }
    return out


# ---------------------------------------------------------------------------------------------
# The `combine` command: several skill LoRA adapters combined into one with PEFT, then evaluated


@dataclass(frozen=True)
class CombineConfig:
    run_id: str
    task: str
    # {skill: directory}: a LoRA `train` run's output directory (or its adapter/ folder)
    adapters: dict[str, str]
    combination: str
    model: str = "tiny"
    seed: int = 0  # randomness of the combination (dare's random pruning)
    weights: dict[str, float] | None = None  # None: the default for the combination type
    density: float | None = None  # ties / dare_*: share of values kept; None: DEFAULT_DENSITY
    skill_datasets: dict[str, str] | None = None
    seq_len: int = 512
    dtype: str = "auto"
    eval_size: int | None = None
    test_size: int | None = None
    test_paraphrases: int | None = None
    max_new_tokens: int | None = None
    forgetting_texts: int | None = None
    deploy_requests: int = 8

    @property
    def resolved_weights(self) -> dict[str, float]:
        if self.weights is not None:
            return dict(self.weights)
        default = 1.0 / len(self.adapters) if self.combination in AVERAGED_BY_WEIGHT else 1.0
        return dict.fromkeys(self.adapters, default)

    @property
    def resolved_density(self) -> float | None:
        if self.combination not in DENSITY_COMBINATIONS:
            return None
        return self.density if self.density is not None else DEFAULT_DENSITY

    def run_config(self) -> RunConfig:
        """The evaluation settings as a run's: every skill's sets, as a `skill: "all"` run."""
        return RunConfig(
            run_id=self.run_id,
            task=self.task,
            model=self.model,
            method="lora",
            seed=self.seed,
            seq_len=self.seq_len,
            dtype=self.dtype,
            eval_size=self.eval_size,
            test_size=self.test_size,
            test_paraphrases=self.test_paraphrases,
            max_new_tokens=self.max_new_tokens,
            forgetting_texts=self.forgetting_texts,
            deploy_requests=self.deploy_requests,
            checkpoint_eval_size=0,  # no training: no quality curve
            quality_checkpoints=0,
            skill=ALL_SKILLS,
            skill_datasets=self.skill_datasets,
        )


ADAPTER_CONFIG = "adapter_config.json"


def find_adapter_dir(path: str | Path) -> Path | None:
    """The folder holding adapter_config.json: `path` itself, or the adapter/ folder of a
    `train` run's output directory; None when neither holds one."""
    given = Path(path)
    for candidate in (given, given / "adapter"):
        try:
            if (candidate / ADAPTER_CONFIG).is_file():
                return candidate
        except OSError:
            return None
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _parse_adapters(value: Any, names: tuple[str, ...]) -> dict[str, str]:
    if not isinstance(value, dict):
        raise BadConfig(
            "adapters", f"expected an object {{skill: adapter directory}}, got {_short(value)}"
        )
    if len(value) < 2:
        raise BadConfig("adapters", f"expected at least 2 adapters to combine, got {len(value)}")
    for skill, path in value.items():
        if skill not in names:
            raise BadConfig(
                "adapters", f"unknown skill {_short(skill)}; this task's skills: {list(names)}"
            )
        if not isinstance(path, str) or not path:
            raise BadConfig(f"adapters.{skill}", f"expected a directory path, got {_short(path)}")
        if find_adapter_dir(path) is None:
            raise BadConfig(
                f"adapters.{skill}",
                f"no LoRA adapter at {path}: expected a directory with {ADAPTER_CONFIG} (the "
                "output directory of a LoRA train run, or its adapter/ folder)",
            )
    return dict(value)


def _parse_weights(value: Any, adapters: dict[str, str]) -> dict[str, float] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadConfig(
            "weights", f"expected an object {{skill: number}} or null, got {_short(value)}"
        )
    for skill, weight in value.items():
        if skill not in adapters:
            raise BadConfig(f"weights.{skill}", f"not one of the adapters {list(adapters)}")
        if not _is_number(weight) or not math.isfinite(weight):
            raise BadConfig(f"weights.{skill}", f"expected a finite number, got {_short(weight)}")
    for skill in adapters:
        if skill not in value:
            raise BadConfig(f"weights.{skill}", "missing: give a weight for every adapter, or none")
    return {skill: float(value[skill]) for skill in adapters}


def parse_combine_config(raw: Any) -> CombineConfig:
    """Validate a decoded `combine` config (raises BadConfig naming the field)."""
    if not isinstance(raw, dict):
        raise BadConfig("(root)", "expected a JSON object")
    known = {f.name for f in fields(CombineConfig)}
    for key in raw:
        if key not in known:
            raise BadConfig(key, f"unknown field; allowed fields: {sorted(known)}")
    for required in ("run_id", "task", "adapters", "combination"):
        if required not in raw:
            raise BadConfig(required, "missing required field")
    defaults = CombineConfig(run_id="x", task=TASKS[0], adapters={}, combination=COMBINATIONS[0])
    merged: dict[str, Any] = {f.name: getattr(defaults, f.name) for f in fields(CombineConfig)}
    named = raw.get("model")
    builtin = BUILTIN_MODEL_DEFAULTS.get(named, {}) if isinstance(named, str) else {}
    merged.update({k: v for k, v in builtin.items() if k in merged})
    merged.update(raw)

    run_id = merged["run_id"]
    if not isinstance(run_id, str) or not run_id.strip():
        raise BadConfig("run_id", f"expected a non-empty string, got {json.dumps(run_id)}")
    task = _choice(merged, "task", (*TASKS, DATASET_TASK))
    skill_datasets = _parse_skill_datasets(merged["skill_datasets"], task)
    if task == DATASET_TASK and skill_datasets is None:
        raise BadConfig("skill_datasets", 'required when task is "dataset" (one file per skill)')
    names = skill_names(task, skill_datasets)
    if not names:
        with_skills = [t for t in TASKS if t in TASK_SKILLS]
        raise BadConfig(
            "task",
            f"task {task} has no skills to combine: expected one of {with_skills}, or "
            f'"{DATASET_TASK}" with skill_datasets',
        )
    adapters = _parse_adapters(merged["adapters"], names)
    combination = _choice(merged, "combination", COMBINATIONS)
    weights = _parse_weights(merged["weights"], adapters)
    density = merged["density"]
    if density is not None:
        if combination not in DENSITY_COMBINATIONS:
            raise BadConfig(
                "density",
                f"only used by {list(DENSITY_COMBINATIONS)}, not by {combination}; leave it out",
            )
        if not _is_number(density) or not 0 < density <= 1:
            raise BadConfig("density", f"expected a number in (0, 1], got {_short(density)}")
    model = merged["model"]
    if not isinstance(model, str) or not model:
        raise BadConfig("model", 'expected "tiny" or a model id / local path')
    seed = merged["seed"]
    if not _is_int(seed):
        raise BadConfig("seed", f"expected an integer, got {json.dumps(seed)}")
    return CombineConfig(
        run_id=run_id,
        task=task,
        adapters=adapters,
        combination=combination,
        model=model,
        seed=seed,
        weights=weights,
        density=float(density) if density is not None else None,
        skill_datasets=skill_datasets,
        seq_len=_int(merged, "seq_len", 16) or 16,
        dtype=_choice(merged, "dtype", DTYPES),
        eval_size=_int(merged, "eval_size", 1, optional=True),
        test_size=_int(merged, "test_size", 1, optional=True),
        test_paraphrases=_int(merged, "test_paraphrases", 1, optional=True),
        max_new_tokens=_int(merged, "max_new_tokens", 1, optional=True),
        forgetting_texts=_int(merged, "forgetting_texts", 0, optional=True),
        deploy_requests=_int(merged, "deploy_requests", 0) or 0,
    )


def load_combine_config(path: str | Path) -> CombineConfig:
    return parse_combine_config(_read_json_config(path))


def combine_config_to_dict(config: CombineConfig) -> dict[str, Any]:
    return {f.name: getattr(config, f.name) for f in fields(CombineConfig)}
