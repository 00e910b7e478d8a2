"""technical_documentation: write a reference entry for a function from its signature.

The reference follows one house format (summary, Arguments, Returns). Metric: rouge_l (ROUGE-L
F1 against the reference); also section_coverage (the required sections and every parameter
name present) and the shared chrF quality proxy.
"""

from __future__ import annotations

import random
from typing import Any

from faceoff_trainer.suites.base import FORMAT_ONLY, MetricInfo, TaskItem, TaskSuite
from faceoff_trainer.text_metrics import rouge_l

PARAMETERS: dict[str, tuple[str, str]] = {
    "path": ("str", "location of the file to use"),
    "timeout": ("float", "seconds to wait before giving up"),
    "retries": ("int", "how many times to try again after a failure"),
    "encoding": ("str", "text encoding of the data"),
    "strict": ("bool", "raise an error instead of skipping bad input"),
    "limit": ("int", "maximum number of items to return"),
    "verbose": ("bool", "log each step while working"),
    "records": ("list", "rows to process"),
    "key": ("str", "name of the field to use"),
    "callback": ("callable", "function called with each result"),
}
ACTIONS: dict[str, tuple[str, str, str]] = {
    # verb: (summary template, return type, return description)
    "load": ("Load the {noun} from storage", "dict", "the loaded {noun}"),
    "save": ("Save the {noun} to storage", "bool", "True when the {noun} was written"),
    "validate": ("Check that the {noun} is well formed", "bool", "True when the {noun} is valid"),
    "count": ("Count the entries in the {noun}", "int", "the number of entries"),
    "parse": ("Parse the {noun} from text", "dict", "the parsed {noun}"),
    "merge": ("Merge two versions of the {noun}", "dict", "the merged {noun}"),
    "export": ("Export the {noun} as CSV", "str", "the CSV text"),
    "delete": ("Delete the {noun} from storage", "None", "nothing"),
}
NOUNS = ["config", "report", "schedule", "invoice", "profile", "catalog", "session", "ledger"]
TEMPLATES: dict[str, list[str]] = {
    "train": [
        "Document the function {signature}.",
        "Write reference docs for {signature}.",
        "Write the documentation entry for {signature}.",
        "Produce API documentation for {signature}.",
        "Describe {signature} in the reference format.",
    ],
    "validation": [
        "Draft the reference section for the function {signature}.",
        "Explain {signature} for the API manual.",
    ],
    "test": [
        "Create docs for {signature} in our usual style.",
        "Document {signature} for the developer reference.",
        "What goes in the reference manual for {signature}?",
    ],
}


class TechnicalDocumentation(TaskSuite):
    name = "technical_documentation"
    primary_metric = "rouge_l"
    max_new_tokens = 220
    consistency_mode = "chrf"
    templates = TEMPLATES

    def sample_fields(self, rng: random.Random) -> dict[str, Any]:
        verb = rng.choice(sorted(ACTIONS))
        noun = rng.choice(NOUNS)
        params = rng.sample(sorted(PARAMETERS), k=rng.randint(1, 3))
        typed = ", ".join(f"{p}: {PARAMETERS[p][0]}" for p in params)
        name = f"{verb}_{noun}"
        return {
            "verb": verb,
            "noun": noun,
            "params": params,
            "name": name,
            "signature": f"{name}({typed}) -> {ACTIONS[verb][1]}",
        }

    def reference(self, fields: dict[str, Any]) -> str:
        summary, return_type, return_desc = ACTIONS[fields["verb"]]
        noun = fields["noun"]
        lines = [
            f"{fields['name']}({', '.join(fields['params'])})",
            "",
            summary.format(noun=noun) + ".",
            "",
            "Arguments:",
        ]
        lines += [f"  {p} ({PARAMETERS[p][0]}): {PARAMETERS[p][1]}." for p in fields["params"]]
        lines += ["", "Returns:", f"  {return_type}: {return_desc.format(noun=noun)}."]
        return "\n".join(lines)

    def answer(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {"params": fields["params"]}

    def score_output(self, item: TaskItem, output: str) -> dict[str, float]:
        required = ["Arguments:", "Returns:", *item.answer["params"]]
        present = sum(1 for token in required if token in output)
        return {
            "rouge_l": rouge_l(output, item.completion),
            "section_coverage": present / len(required),
        }

    def own_metric_info(self) -> dict[str, MetricInfo]:
        return {
            "rouge_l": MetricInfo(
                "ROUGE-L F1 (longest common word subsequence) against the reference entry, 0-1"
            ),
            "section_coverage": MetricInfo(
                "share of required parts present: 'Arguments:', 'Returns:' and every parameter "
                "name, 0-1",
                caveat=FORMAT_ONLY.replace("scores 1.0", "with both headings scores part of it"),
            ),
        }
