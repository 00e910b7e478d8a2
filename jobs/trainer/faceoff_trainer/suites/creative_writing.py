"""creative_writing: a two-line poem or a one-sentence story on a subject, mood and word.

References are themselves varied (several line patterns per mood), so overlap with one
reference is only a proxy. Metrics: quality_proxy_chrf (reference overlap, the primary),
distinct_1 / distinct_2 (diversity over all test outputs) and constraint_satisfaction (the
required word used and the requested form kept).
"""

from __future__ import annotations

import random
from typing import Any

from faceoff_trainer.suites.base import MetricInfo, TaskItem, TaskSuite
from faceoff_trainer.text_metrics import distinct_n, words

SUBJECTS = [
    "sea",
    "city",
    "forest",
    "winter",
    "harbor",
    "desert",
    "river",
    "mountain",
    "garden",
    "train station",
]
KEYWORDS = ["lantern", "whisper", "ember", "compass", "feather", "mirror", "thread", "bell"]
MOODS: dict[str, tuple[list[str], list[str]]] = {
    # mood: (adjectives, verbs)
    "calm": (["quiet", "gentle", "still", "soft"], ["rests", "drifts", "settles", "waits"]),
    "gloomy": (["grey", "heavy", "cold", "hollow"], ["sinks", "fades", "mourns", "weeps"]),
    "joyful": (["bright", "golden", "warm", "laughing"], ["dances", "sings", "shines", "leaps"]),
    "restless": (["wild", "restless", "sharp", "racing"], ["stirs", "turns", "roars", "runs"]),
}
FORMS = {"poem": "two-line poem", "story": "one-sentence story"}
POEM_PATTERNS = [
    "The {adj} {subject} {verb} beneath the sky,\nand one {keyword} {verb2} as the hours go by.",
    "Beside the {adj} {subject} the evening {verb},\na {keyword} {verb2} where the light ends.",
    "Over the {subject}, {adj} and slow, the night {verb},\nwhile a {keyword} {verb2} alone.",
]
STORY_PATTERNS = [
    "In the {adj} {subject}, a girl found a {keyword} that {verb2} whenever the wind {verb}.",
    "Every night the {adj} {subject} {verb}, and an old man keeps a {keyword} that {verb2}.",
    "The {subject} was {adj} when the {keyword} {verb2}, and nobody spoke again.",
]
TEMPLATES: dict[str, list[str]] = {
    "train": [
        "Write a {form_name} about the {subject} in a {mood} mood using the word '{keyword}'.",
        "Compose a {mood} {form_name} about the {subject}; include '{keyword}'.",
        "{form_name} please: subject {subject}, mood {mood}, must contain '{keyword}'.",
        "Give me a {form_name} on the {subject} that feels {mood} and mentions '{keyword}'.",
        "Create a {mood} {form_name} set by the {subject} with the word '{keyword}'.",
    ],
    "validation": [
        "I'd love a {form_name}: the {subject}, {mood} tone, and the word '{keyword}'.",
        "Draft a {form_name} about the {subject}. Mood: {mood}. Word to use: '{keyword}'.",
    ],
    "test": [
        "Could you write a {mood} {form_name} featuring the {subject} and the word '{keyword}'?",
        "Write me a {form_name}. Topic: the {subject}. Feeling: {mood}. Use '{keyword}'.",
        "Please produce a {form_name} about the {subject}, {mood} in tone, with '{keyword}' in it.",
    ],
}


class CreativeWriting(TaskSuite):
    name = "creative_writing"
    primary_metric = "quality_proxy_chrf"
    max_new_tokens = 140
    consistency_mode = "chrf"
    templates = TEMPLATES

    def sample_fields(self, rng: random.Random) -> dict[str, Any]:
        mood = rng.choice(sorted(MOODS))
        adjectives, verbs = MOODS[mood]
        form = rng.choice(sorted(FORMS))
        patterns = POEM_PATTERNS if form == "poem" else STORY_PATTERNS
        return {
            "form": form,
            "form_name": FORMS[form],
            "subject": rng.choice(SUBJECTS),
            "mood": mood,
            "keyword": rng.choice(KEYWORDS),
            "adj": rng.choice(adjectives),
            "verb": rng.choice(verbs),
            "verb2": rng.choice(verbs),
            "pattern": rng.choice(patterns),
        }

    def render(self, template: str, fields: dict[str, Any]) -> str:
        text = template.format(**fields)
        return text[0].upper() + text[1:]

    def reference(self, fields: dict[str, Any]) -> str:
        return str(fields["pattern"]).format(**fields)

    def answer(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {"keyword": fields["keyword"], "form": fields["form"]}

    def score_output(self, item: TaskItem, output: str) -> dict[str, float]:
        has_keyword = item.answer["keyword"] in words(output)
        lines = [line for line in output.strip().splitlines() if line.strip()]
        if item.answer["form"] == "poem":
            form_ok = len(lines) == 2
        else:
            form_ok = len(lines) == 1 and output.strip().endswith(".")
        return {"constraint_satisfaction": float(has_keyword and form_ok)}

    def corpus_metrics(self, outputs: list[str]) -> dict[str, float]:
        return {"distinct_1": distinct_n(outputs, 1), "distinct_2": distinct_n(outputs, 2)}

    def own_metric_info(self) -> dict[str, MetricInfo]:
        return {
            "constraint_satisfaction": MetricInfo(
                "share of outputs that use the required word and keep the requested form "
                "(two lines for a poem, one sentence for a story), 0-1"
            ),
            "distinct_1": MetricInfo("distinct unigrams / all unigrams over test outputs, 0-1"),
            "distinct_2": MetricInfo("distinct bigrams / all bigrams over test outputs, 0-1"),
        }
