"""Every suite's metric on hand-made correct and wrong answers, plus the text metrics."""

from __future__ import annotations

import pytest

from faceoff_trainer.suites import SUITES, get_suite
from faceoff_trainer.suites.sandbox import run_function_tests
from faceoff_trainer.text_metrics import chrf, distinct_n, pairwise_agreement, rouge_l


def _score(task: str, outputs_for: object) -> dict[str, float]:
    suite = get_suite(task)
    items = suite.items("test", 3)
    outputs = [[outputs_for(item) for _ in item.prompts] for item in items]  # type: ignore[operator]
    return suite.score(items, outputs)


def test_text_metrics_basics() -> None:
    assert chrf("the cat sat", "the cat sat") == pytest.approx(1.0)
    assert chrf("zzzz", "the cat sat") == 0.0
    assert 0 < chrf("the cat sits", "the cat sat") < 1
    assert rouge_l("a b c d", "a b c d") == pytest.approx(1.0)
    assert rouge_l("a x c", "a b c") == pytest.approx(2 / 3)
    assert distinct_n(["a a a a"], 1) == pytest.approx(0.25)
    assert distinct_n(["a b", "c d"], 2) == pytest.approx(1.0)
    assert pairwise_agreement(["x", "x", "y"]) == pytest.approx(1 / 3)


def test_customer_service_exact_match() -> None:
    right = _score("customer_service", lambda item: item.completion)
    assert right["intent_resolution_exact_match"] == 1.0
    assert right["consistency_agreement"] == 1.0
    wrong_resolution = _score(
        "customer_service",
        lambda item: f"intent: {item.answer['intent']}\nresolution: escalate\nreply: hm",
    )
    assert wrong_resolution["intent_accuracy"] == 1.0
    assert wrong_resolution["intent_resolution_exact_match"] == 0.0
    assert _score("customer_service", lambda item: "no idea")["intent_accuracy"] == 0.0


def test_customer_service_refund_window_rule() -> None:
    suite = get_suite("customer_service")
    refunds = [i for i in suite.items("train", 400) if i.answer["intent"] == "refund_request"]
    for item in refunds:
        days = int(item.prompts[0].split(" days")[0].split()[-1])
        expected = "refund_in_full" if days <= 30 else "offer_store_credit"
        assert item.answer["resolution"] == expected


def test_code_generation_runs_unit_tests() -> None:
    right = _score("code_generation", lambda item: item.completion)
    assert right["unit_test_pass_rate"] == 1.0
    assert right["syntax_valid_rate"] == 1.0
    wrong = _score(
        "code_generation", lambda item: f"def {item.answer['name']}(*args):\n    return None\n"
    )
    assert wrong["unit_test_pass_rate"] == 0.0
    broken = _score("code_generation", lambda item: "def (:\n")
    assert broken["syntax_valid_rate"] == 0.0
    assert broken["unit_test_pass_rate"] == 0.0


def test_sandbox_limits_time_and_network() -> None:
    loop = run_function_tests("def f(x):\n    while True:\n        pass\n", "f", [[[1], 1]], 2.0)
    assert loop.compiled and loop.passed == 0
    net = "import socket\ndef f(x):\n    socket.create_connection(('127.0.0.1', 9))\n    return 1\n"
    assert run_function_tests(net, "f", [[[1], 1]]).passed == 0
    assert run_function_tests("def f(x):\n    return x * 2\n", "f", [[[2], 4]]).passed == 1


def test_data_analysis_tolerance() -> None:
    assert _score("data_analysis", lambda item: item.completion)["numeric_accuracy"] == 1.0
    off_by_one = _score("data_analysis", lambda item: f"answer: {item.answer['value'] + 1}")
    assert off_by_one["numeric_accuracy"] == 0.0
    assert off_by_one["answer_parsed_rate"] == 1.0
    close = _score("data_analysis", lambda item: f"answer: {item.answer['value'] + 0.001:.3f}")
    assert close["numeric_accuracy"] == 1.0
    assert _score("data_analysis", lambda item: "unsure")["answer_parsed_rate"] == 0.0


def test_technical_documentation_rouge_and_sections() -> None:
    right = _score("technical_documentation", lambda item: item.completion)
    assert right["rouge_l"] == pytest.approx(1.0)
    assert right["section_coverage"] == 1.0
    wrong = _score("technical_documentation", lambda item: "This function does things.")
    assert wrong["rouge_l"] < 0.2
    assert wrong["section_coverage"] == 0.0


def test_creative_writing_overlap_constraints_diversity() -> None:
    right = _score("creative_writing", lambda item: item.completion)
    assert right["quality_proxy_chrf"] == pytest.approx(1.0)
    assert right["constraint_satisfaction"] == 1.0
    same = _score("creative_writing", lambda item: "the the the the")
    assert same["constraint_satisfaction"] == 0.0
    assert same["distinct_1"] < 0.1 < right["distinct_1"]
    assert same["distinct_2"] < 0.1 < right["distinct_2"]
    assert same["quality_proxy_chrf"] < 0.3


def test_consistency_detects_disagreeing_paraphrases() -> None:
    suite = get_suite("data_analysis")
    items = suite.items("test", 2)
    outputs = [[f"answer: {n}" for n in range(len(item.prompts))] for item in items]
    assert suite.score(items, outputs)["consistency_agreement"] == 0.0


@pytest.mark.parametrize("task", sorted(SUITES))
def test_splits_use_disjoint_templates_and_are_deterministic(task: str) -> None:
    suite = get_suite(task)
    assert suite.items("test", 5) == suite.items("test", 5)
    assert len(suite.items("test", 1)[0].prompts) >= 2  # paraphrases
    train = set(suite.templates["train"])
    assert train.isdisjoint(suite.templates["validation"])
    assert train.isdisjoint(suite.templates["test"])
    info = suite.metric_info()
    assert suite.primary_metric in info
    assert "quality_proxy_chrf" in info
    assert "human" not in info["quality_proxy_chrf"].description.replace("Not a human", "")
