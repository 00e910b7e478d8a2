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
    # the first paraphrase answered correctly, the others each differently
    outputs = [
        [item.completion, *(f"answer: {n}.5" for n in range(1, len(item.prompts)))]
        for item in items
    ]
    assert suite.score(items, outputs)["consistency_agreement"] == 0.0


@pytest.mark.parametrize("task", ["customer_service", "data_analysis", "technical_documentation"])
def test_constant_output_gets_consistency_flagged_not_one(task: str) -> None:
    suite = get_suite(task)
    items = suite.items("test", 20)
    constant = "intent: none\nresolution: none\nanswer: 7\nArguments:\nReturns:"
    scored = suite.score_with_flags(items, [[constant] * len(item.prompts) for item in items])
    name = f"consistency_{suite.consistency_mode}"
    assert scored.metrics[name] is None  # not 1.0: no paraphrase was right
    assert scored.consistency_items == 0
    assert "not computed" in scored.flags[name]
    assert scored.top_output_share == 1.0
    for metric in suite.gameable_metrics():
        if metric in scored.metrics and metric != name:
            assert "degenerate output: 100%" in scored.flags[metric]


def test_consistency_counts_only_items_answered_right_somewhere() -> None:
    suite = get_suite("customer_service")
    items = suite.items("test", 4)
    outputs = [[item.completion] * len(item.prompts) for item in items[:2]]
    outputs += [["intent: none\nresolution: none"] * len(item.prompts) for item in items[2:]]
    scored = suite.score_with_flags(items, outputs)
    assert scored.consistency_items == 2
    assert scored.metrics["consistency_agreement"] == 1.0  # over the two right items only
    assert scored.metrics["intent_resolution_exact_match"] == 0.5


def test_one_phrasing_per_item_gives_no_consistency() -> None:
    suite = get_suite("customer_service")
    items = suite.items("test", 4)
    scored = suite.score_with_flags(items, [[item.completion] for item in items])
    assert scored.metrics["intent_resolution_exact_match"] == 1.0
    assert scored.metrics["consistency_agreement"] is None  # not 1.0: there is no pair
    assert scored.consistency_items == 0
    assert "one phrasing per test item" in scored.flags["consistency_agreement"]


def test_format_metrics_carry_their_caveat() -> None:
    info = get_suite("data_analysis").metric_info()["answer_parsed_rate"].to_dict()
    assert "constant well-formed output scores 1.0" in info["caveat"]
    assert "Caveat:" in info["description"]


def test_detectable_difference_at_80_percent_power() -> None:
    from faceoff_trainer.suites.base import detectable_difference

    # 120 binary items at p = 0.5: stderr 0.0456 -> about 0.18 between two runs
    stderr = (0.25 / 120) ** 0.5
    assert detectable_difference(stderr) == pytest.approx(2.8016 * 2**0.5 * stderr, rel=1e-4)
    assert 0.17 < (detectable_difference(stderr) or 0) < 0.19
    assert detectable_difference(None) is None
    assert detectable_difference(0.0) is None  # every item scored alike: no spread to use


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
