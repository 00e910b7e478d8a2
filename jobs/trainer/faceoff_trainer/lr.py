"""Learning-rate defaults and the sweep grid, from the shared data file lr-defaults.json."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

LR_DEFAULTS_PATH = Path(__file__).resolve().parent.parent / "lr-defaults.json"


@cache
def load_lr_defaults() -> dict[str, Any]:
    return json.loads(LR_DEFAULTS_PATH.read_text(encoding="utf-8"))


def bucket_for(total_params: int) -> dict[str, Any]:
    for bucket in load_lr_defaults()["buckets"]:
        limit = bucket["max_params"]
        if limit is None or total_params <= limit:
            return bucket
    raise ValueError("lr-defaults.json needs a last bucket with max_params null")


def _round_significant(value: float, digits: int) -> float:
    exponent = math.floor(math.log10(abs(value)))
    return round(value, digits - 1 - exponent)


def default_learning_rate(method: str, total_params: int) -> float:
    return float(bucket_for(total_params)["defaults"][method])


def learning_rate_grid(method: str, total_params: int, sweep: bool = True) -> dict[str, Any]:
    """{learning_rates, default, bucket, total_params}; one value (the default) without sweep."""
    bucket = bucket_for(total_params)
    default = float(bucket["defaults"][method])
    grid = load_lr_defaults()["grid"]
    if sweep:
        rates = [
            _round_significant(default * m, grid["significant_digits"]) for m in grid["multipliers"]
        ]
    else:
        rates = [default]
    rule = bucket.get("source") == "rule_of_thumb"
    return {
        "learning_rates": rates,
        "default": default,
        "source": bucket.get("source", "measured"),
        "source_note": load_lr_defaults()["rule_of_thumb_note"] if rule else bucket.get("note"),
        "bucket": bucket["name"],
        "total_params": total_params,
        "method": method,
        "sweep": sweep,
    }


def extension_rate(rates: list[float], chosen: float) -> float | None:
    """One step beyond the grid's edge when the chosen rate sits on it (the grid is widened at most
    once): the grid's step on that side taken once more; None otherwise."""
    if len(rates) < 2:
        return None
    ordered = sorted(rates)
    digits = load_lr_defaults()["grid"]["significant_digits"]
    # The grid's step on that side, taken once more.
    if chosen == ordered[-1]:
        return _round_significant(chosen * ordered[-1] / ordered[-2], digits)
    if chosen == ordered[0]:
        return _round_significant(chosen * ordered[0] / ordered[1], digits)
    return None
