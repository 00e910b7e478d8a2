"""Skill training sets (customer_service tone / knowledge / troubleshooting + a combined test set),
the `skill` and `skill_datasets` config fields, and a skill run on user skill datasets."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import run_in_process

from faceoff_trainer.config import config_to_dict, parse_config
from faceoff_trainer.errors import BadConfig, BadData
from faceoff_trainer.skill_suites import customer_service as cs
from faceoff_trainer.skill_suites import get_skill_suites
from faceoff_trainer.suites import get_suite
from faceoff_trainer.tokenizer import ByteTokenizer

BASE = {"run_id": "r1", "task": "customer_service"}
SETS = ("tone", "knowledge", "troubleshooting", "combined")


def _suites() -> dict:
    skills, combined = get_skill_suites("customer_service")
    return {**skills, "combined": combined}


def test_the_existing_customer_service_suite_is_unchanged() -> None:
    suite = get_suite("customer_service")
    digest = hashlib.sha256()
    for split, count in (("train", 200), ("validation", 50), ("test", 50)):
        for item in suite.items(split, count):
            record = [item.item_id, item.prompts, item.completion, item.answer]
            digest.update(json.dumps(record).encode())
    assert digest.hexdigest() == "3a2e6eaa8100fcf09d6c6680df2642c373bb04334d632c1c42e282d0ae6954f8"


def test_skill_items_are_deterministic() -> None:
    first, second = _suites(), _suites()
    assert list(first) == list(SETS)
    for name, suite in first.items():
        splits = ("test",) if name == "combined" else ("train", "validation", "test")
        for split in splits:
            assert suite.items(split, 30) == second[name].items(split, 30), (name, split)
    assert cs._catalogue() == cs.CATALOGUE
    assert len({p.name for p in cs.CATALOGUE}) == cs.CATALOGUE_SIZE


def test_phrasing_pools_are_disjoint_between_splits() -> None:
    pools = [
        cs.TONE_PROMPTS,
        cs.TROUBLE_PROMPTS,
        cs.CURT_OPENERS,
        cs.CURT_CLOSERS,
        *cs.QUESTIONS.values(),
        *cs.SYMPTOMS.values(),
        *cs.DETAILS.values(),
        *cs.SITUATIONS.values(),
    ]
    for pool in pools:
        for a in ("train", "validation", "test"):
            for b in ("train", "validation", "test"):
                if a < b:
                    assert not set(pool[a]) & set(pool[b]), (pool[a], pool[b])


def test_no_validation_or_test_prompt_was_seen_in_training() -> None:
    for name, suite in _suites().items():
        if name == "combined":
            with pytest.raises(ValueError):
                suite.items("train", 1)  # a held-out set only
            continue
        train = {p for item in suite.items("train", 4000) for p in item.prompts}
        for split in ("validation", "test"):
            held_out = {p for item in suite.items(split, 200) for p in item.prompts}
            assert not train & held_out, (name, split)


def test_knowledge_trains_every_catalogue_fact_and_tests_only_those() -> None:
    suite = _suites()["knowledge"]
    trained = {(i.answer["product"], i.answer["fact"]) for i in suite.items("train", 4000)}
    assert trained == {(p.name, f) for p in cs.CATALOGUE for f in cs.FACTS}
    tested = {(i.answer["product"], i.answer["fact"]) for i in suite.items("test", 120)}
    assert tested <= trained


def test_references_pass_their_own_checks_and_wrong_answers_fail() -> None:
    for name, suite in _suites().items():
        for item in suite.items("test", 40, 3):
            scores = suite.score_output(item, item.completion)
            assert scores[suite.primary_metric] == 1.0, (name, item.completion, scores)
            assert len(item.prompts) == 3
    combined = _suites()["combined"].items("test", 1)[0]
    good = combined.completion
    score = _suites()["combined"].score_output
    assert score(combined, good.replace("Hello", "Hi"))["tone_ok"] == 0.0
    assert score(combined, good.replace("Kind regards", "Cheers"))["all_skills_ok"] == 0.0
    assert score(combined, good + "\nWhatever.")["tone_ok"] == 0.0  # a curt phrase
    lines = good.splitlines()
    assert score(combined, "\n".join([lines[0], lines[2], lines[3]]))["fact_ok"] == 0.0
    product = cs.PRODUCTS_BY_NAME[combined.answer["product"]]
    fact = combined.answer["fact"]
    other = next(p for p in cs.CATALOGUE if p.value(fact) != product.value(fact))
    wrong = good.replace(product.sentence(fact), other.sentence(fact))
    assert score(combined, wrong)["fact_ok"] == 0.0
    steps = combined.answer["steps"]
    swapped = good.replace(steps[0], "@").replace(steps[1], steps[0]).replace("@", steps[1])
    assert score(combined, swapped)["steps_ok"] == 0.0
    assert score(combined, good)["all_skills_ok"] == 1.0


def test_warranty_values_are_matched_as_whole_numbers() -> None:
    product = next(p for p in cs.CATALOGUE if p.warranty_months == 6)
    assert cs.fact_ok(f"The {product.name} has a warranty of 6 months.", product, "warranty")
    assert not cs.fact_ok("It has a warranty of 36 months.", product, "warranty")


def test_tone_apologises_only_for_a_complaint() -> None:
    assert cs.tone_checks(cs.house_reply("Ada", "Done.", False), "Ada", False)["tone_ok"] == 1.0
    with_apology = cs.house_reply("Ada", "Done.", True)
    assert cs.tone_checks(with_apology, "Ada", False)["apology_ok"] == 0.0
    assert cs.tone_checks(with_apology, "Ada", True)["tone_ok"] == 1.0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"task": "code_generation", "skill": "tone"}, "skill"),
        ({"skill": "politeness"}, "skill"),
        ({"skill": 3}, "skill"),
        ({"skill_datasets": {"a": "x", "b": "y"}}, "skill_datasets"),
        ({"task": "dataset", "skill_datasets": ["a.jsonl"], "skill": "all"}, "skill_datasets"),
    ],
)
def test_bad_skill_fields_are_named(overrides: dict, field: str) -> None:
    with pytest.raises(BadConfig) as caught:
        parse_config({**BASE, **overrides})
    assert caught.value.field == field
    assert field in str(caught.value)


def _jsonl(path: Path, pairs: list[tuple[str, str]]) -> str:
    path.write_text("".join(json.dumps({"prompt": p, "completion": c}) + "\n" for p, c in pairs))
    return str(path)


@pytest.fixture()
def two_files(tmp_path: Path) -> dict[str, str]:
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india"]
    return {
        "echo": _jsonl(tmp_path / "echo.jsonl", [(f"Repeat: {w}", w) for w in words]),
        "upper": _jsonl(tmp_path / "upper.jsonl", [(f"Shout: {w}", w.upper()) for w in words]),
    }


def test_bad_skill_datasets_are_named(two_files: dict[str, str], tmp_path: Path) -> None:
    base = {"run_id": "r", "task": "dataset", "skill": "all"}
    cases = [
        ({"skill_datasets": {"echo": two_files["echo"]}}, "skill_datasets"),  # one skill
        ({"skill_datasets": {f"s{i}": two_files["echo"] for i in range(7)}}, "skill_datasets"),
        (
            {"skill_datasets": {"Echo": two_files["echo"], "b": two_files["upper"]}},
            "skill_datasets",
        ),
        ({"skill_datasets": {"all": two_files["echo"], "b": two_files["upper"]}}, "skill_datasets"),
        (
            {"skill_datasets": {"echo": str(tmp_path / "no.jsonl"), "b": two_files["upper"]}},
            "skill_datasets.echo",
        ),
        ({"skill_datasets": two_files, "skill": None}, "skill"),
        ({"skill_datasets": two_files, "skill": "lower"}, "skill"),
        ({"skill_datasets": two_files, "dataset_path": two_files["echo"]}, "dataset_path"),
    ]
    for overrides, field in cases:
        with pytest.raises(BadConfig) as caught:
            parse_config({**base, **overrides})
        assert caught.value.field == field, overrides


def test_a_run_without_skill_keeps_its_config_as_before() -> None:
    config = parse_config(BASE)
    assert config.skill is None
    assert "skill" not in config_to_dict(config) and "skill_datasets" not in config_to_dict(config)
    with_skill = parse_config({**BASE, "skill": "all"})
    assert parse_config(config_to_dict(with_skill)) == with_skill


def test_skill_data_split_the_budgets_and_the_union_is_shuffled() -> None:
    from faceoff_trainer.data import load_task_data
    from faceoff_trainer.eval_plan import full_sizes

    codec = ByteTokenizer()
    config = parse_config({**BASE, "skill": "all", "eval_size": 10, "test_size": 9})
    data = load_task_data(config, codec, full_sizes(config))
    assert data.skills is not None
    assert [s.name for s in data.skills.sets] == list(SETS)
    assert [len(s.items) for s in data.skills.sets] == [3, 2, 2, 2]
    assert data.skills.validation_by_skill == {"tone": 4, "knowledge": 3, "troubleshooting": 3}
    assert len(data.train) == 3 * 4000
    assert data.train[:3] != _suites()["tone"].items("train", 3)  # shuffled, not concatenated
    again = load_task_data(config, codec, full_sizes(config))
    assert [i.item_id for i in again.train[:50]] == [i.item_id for i in data.train[:50]]
    assert data.test == data.skills.sets[-1].items
    assert data.suite.primary_metric == "all_skills_ok"

    one = parse_config({**BASE, "skill": "knowledge", "eval_size": 10, "test_size": 9})
    single = load_task_data(one, codec, full_sizes(one))
    assert single.skills is not None and single.skills.trained == ["knowledge"]
    assert {i.item_id.split("-")[0] for i in single.train} == {"customer_service.knowledge"}
    assert single.skills.validation_by_skill == {"knowledge": 10}
    assert [s.name for s in single.skills.sets] == list(SETS)  # every set is still tested


def test_a_bad_skill_dataset_line_is_reported_with_its_skill(
    two_files: dict[str, str], tmp_path: Path
) -> None:
    from faceoff_trainer.data import checked_skill_datasets

    bad = tmp_path / "bad.jsonl"
    bad.write_text(Path(two_files["echo"]).read_text() + "not json\n")
    config = parse_config(
        {
            "run_id": "r",
            "task": "dataset",
            "skill": "all",
            "skill_datasets": {"echo": two_files["echo"], "broken": str(bad)},
        }
    )
    with pytest.raises(BadData) as caught:
        checked_skill_datasets(config)
    assert "broken" in str(caught.value) and "line 10" in str(caught.value)
    assert caught.value.errors[0]["line"] == 10 and caught.value.errors[0]["skill"] == "broken"


@pytest.mark.usefixtures("tiny_model")
def test_a_multi_task_run_on_skill_datasets(two_files: dict[str, str], tmp_path: Path) -> None:
    summary, events = run_in_process(
        tmp_path / "out",
        run_id="t-skills",
        task="dataset",
        skill="all",
        skill_datasets=two_files,
        max_steps=2,
        batch_size=4,
        eval_every=2,
        test_size=4,
        max_new_tokens=8,
        deploy_requests=0,
        forgetting_texts=0,
        checkpoint_eval_size=0,
    )
    assert summary["skill"] == "all" and summary["skills"] == ["echo", "upper"]
    metrics = summary["skill_metrics"]
    assert list(metrics) == ["echo", "upper", "combined"]
    assert metrics["combined"]["scored_from"] == "union of the skills' test items, pooled"
    assert (
        metrics["combined"]["test_items"]
        == metrics["echo"]["test_items"] + metrics["upper"]["test_items"]
    )
    assert summary["primary_metric"] == "exact_match"
    assert summary["metrics"] == metrics["combined"]["metrics"]
    sets = [e.get("set") for e in events if e["event"] == "evaluating"]
    assert sets[0] == "echo" and sets[-1] == "combined" and "upper" in sets
    assert summary["train_items_by_skill"].keys() == {"echo", "upper"}
