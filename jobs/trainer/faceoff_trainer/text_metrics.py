"""Small, dependency-free text metrics; every score is on a 0-1 scale.

- chrF: character n-gram F-score (n = 1..6, beta = 2, whitespace removed), sentence level,
  following Popović (2015) as implemented by sacrebleu (precision and recall averaged over n).
- ROUGE-L: F1 of the longest common subsequence of lower-cased word tokens.
- distinct-n: unique n-grams / all n-grams over a set of outputs (a diversity measure).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import combinations

WORD = re.compile(r"\w+", re.UNICODE)


def normalize_text(text: str) -> str:
    return " ".join(text.strip().lower().split())


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _char_ngrams(text: str, n: int) -> Counter[str]:
    return Counter(text[i : i + n] for i in range(len(text) - n + 1))


def chrf(hypothesis: str, reference: str, max_n: int = 6, beta: float = 2.0) -> float:
    hyp = "".join(hypothesis.split())
    ref = "".join(reference.split())
    if not hyp or not ref:
        return 1.0 if hyp == ref else 0.0
    precisions: list[float] = []
    recalls: list[float] = []
    for n in range(1, max_n + 1):
        hyp_grams, ref_grams = _char_ngrams(hyp, n), _char_ngrams(ref, n)
        if not hyp_grams or not ref_grams:
            continue
        overlap = sum((hyp_grams & ref_grams).values())
        precisions.append(overlap / sum(hyp_grams.values()))
        recalls.append(overlap / sum(ref_grams.values()))
    if not precisions:
        return 0.0
    p = sum(precisions) / len(precisions)
    r = sum(recalls) / len(recalls)
    if p == 0 and r == 0:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * p * r / (b2 * p + r)


def _lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    if not a or not b:
        return 0
    previous = [0] * (len(b) + 1)
    for token_a in a:
        current = [0]
        for j, token_b in enumerate(b, start=1):
            current.append(
                previous[j - 1] + 1 if token_a == token_b else max(previous[j], current[j - 1])
            )
        previous = current
    return previous[-1]


def rouge_l(hypothesis: str, reference: str) -> float:
    hyp, ref = words(hypothesis), words(reference)
    if not hyp or not ref:
        return 1.0 if hyp == ref else 0.0
    lcs = _lcs_length(hyp, ref)
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(hyp), lcs / len(ref)
    return 2 * precision * recall / (precision + recall)


def distinct_n(outputs: Iterable[str], n: int) -> float:
    grams: list[tuple[str, ...]] = []
    for text in outputs:
        tokens = words(text)
        grams.extend(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return len(set(grams)) / len(grams) if grams else 0.0


def mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0


def pairwise_agreement(keys: Sequence[object]) -> float:
    """Share of paraphrase pairs whose normalized answers are identical (1.0 for < 2 answers)."""
    pairs = list(combinations(keys, 2))
    if not pairs:
        return 1.0
    return sum(1 for a, b in pairs if a == b) / len(pairs)


def pairwise_chrf(outputs: Sequence[str]) -> float:
    """Mean symmetric chrF between the outputs for paraphrases of one item."""
    pairs = list(combinations(outputs, 2))
    if not pairs:
        return 1.0
    return mean((chrf(a, b) + chrf(b, a)) / 2 for a, b in pairs)
