"""customer_service skills: tone, product knowledge and troubleshooting, each with its own
train / validation / test splits, and a held-out combined test set that needs all three at once.

A support reply in Faceoff's house style is four lines:

    Hello <name>,
    [I am sorry for the trouble. ]<body>
    Thank you for your patience.        (a question instead of a complaint: "for reaching out")
    Kind regards, Support

Each skill teaches one part of such a reply, and only that part:

- `tone`: rewrite a curt draft reply into the house style (greeting with the customer's name, an
  apology when the customer complained and only then, thanks, the sign-off, none of the draft's
  curt phrases), keeping the draft's content. Primary metric: tone_ok.
- `knowledge`: a generated product catalogue (CATALOGUE: 12 products with a price, warranty
  months, a compatible accessory and a stock status). Training questions cover every catalogue
  fact; test questions ask about the same facts in phrasings never seen in training, so the
  facts must have been learned. Answer: one sentence ("The Aero speaker S4 has a warranty of
  24 months."). Primary metric: fact_accuracy.
- `troubleshooting`: a symptom and a detail (a light, a firmware version, a battery health
  figure, whether other devices are online) decide the right next two steps by fixed rules
  (CASES); test items state the same cases in unseen phrasings. Answer: "Next steps: A, then
  B." Primary metric: steps_accuracy.
- `combined` (test only): an angry customer with a product-specific problem who also asks about
  a catalogue fact. The reference is the house-style reply whose body is the apology, the fact
  sentence and the steps sentence. Scored per component (tone_ok, fact_ok, steps_ok) and by
  all_skills_ok, which needs all three in one output.

Every phrasing pool (prompt wrappers, question phrasings, curt and angry phrases, symptom and
detail phrasings) is split three ways and the splits are disjoint, so no validation or test
prompt was seen in training. Items come from the seeded generator of suites/base.py (DATA_SEED),
the catalogue from its own fixed seed: the same arguments always give the same items.
"""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass
from typing import Any, ClassVar

from faceoff_trainer.suites.base import DATA_SEED, SPLITS, MetricInfo, TaskItem, TaskSuite

SKILL_NAMES: tuple[str, ...] = ("tone", "knowledge", "troubleshooting")

GREETING = "Hello {name},"
APOLOGY = "I am sorry for the trouble."
THANKS_COMPLAINT = "Thank you for your patience."
THANKS_QUESTION = "Thank you for reaching out."
SIGN_OFF = "Kind regards, Support"

NAMES = [
    "Ada",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Femi",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
    "Kira",
    "Luis",
    "Maya",
    "Noor",
    "Omar",
    "Priya",
    "Rosa",
    "Sam",
    "Tariq",
    "Wen",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

# ---------------------------------------------------------------------------------------------
# The product catalogue (knowledge; products also appear in troubleshooting and combined items)

BRANDS = ["Aero", "Brio", "Corvo", "Delta", "Eon", "Fenn"]
CATEGORIES: dict[str, list[str]] = {
    # category: compatible accessories
    "speaker": ["wall mount", "carry strap", "charging dock"],
    "router": ["mesh extender", "backup battery", "antenna kit"],
    "camera": ["night lens", "tripod", "solar panel"],
    "vacuum": ["spare brush", "docking station", "dust bags"],
}
PRICES = ["$29.99", "$49.99", "$79.99", "$99.99", "$129.99", "$149.99", "$199.99"]
WARRANTIES = [6, 12, 18, 24, 36]
STOCK = ["in stock", "sold out", "on back order"]
CATALOGUE_SIZE = 12
FACTS: tuple[str, ...] = ("price", "warranty", "accessory", "stock")


@dataclass(frozen=True)
class Product:
    name: str
    category: str
    price: str
    warranty_months: int
    accessory: str
    stock: str

    def value(self, fact: str) -> str:
        """The text of a fact as a correct answer must state it."""
        return {
            "price": self.price,
            "warranty": f"{self.warranty_months} months",
            "accessory": self.accessory,
            "stock": self.stock,
        }[fact]

    def sentence(self, fact: str) -> str:
        return {
            "price": f"The {self.name} costs {self.price}.",
            "warranty": f"The {self.name} has a warranty of {self.warranty_months} months.",
            "accessory": f"The {self.name} works with the {self.accessory}.",
            "stock": f"The {self.name} is {self.stock}.",
        }[fact]


def _catalogue() -> tuple[Product, ...]:
    rng = random.Random(DATA_SEED + zlib.crc32(b"customer_service:catalogue"))
    products: list[Product] = []
    names: set[str] = set()
    categories = sorted(CATEGORIES)
    while len(products) < CATALOGUE_SIZE:
        category = categories[len(products) % len(categories)]  # three of each category
        name = f"{rng.choice(BRANDS)} {category} {category[0].upper()}{rng.randint(1, 9)}"
        if name in names:
            continue
        names.add(name)
        products.append(
            Product(
                name=name,
                category=category,
                price=rng.choice(PRICES),
                warranty_months=rng.choice(WARRANTIES),
                accessory=rng.choice(CATEGORIES[category]),
                stock=rng.choice(STOCK),
            )
        )
    return tuple(products)


CATALOGUE: tuple[Product, ...] = _catalogue()
PRODUCTS_BY_NAME: dict[str, Product] = {p.name: p for p in CATALOGUE}

# Question phrasings per fact; train / validation / test are disjoint.
QUESTIONS: dict[str, dict[str, list[str]]] = {
    "price": {
        "train": [
            "How much does the {product} cost?",
            "What is the price of the {product}?",
            "Price of the {product}, please.",
            "What do you charge for the {product}?",
        ],
        "validation": ["How much is the {product}?", "Tell me the price of the {product}."],
        "test": [
            "What would the {product} set me back?",
            "I'd like to know what the {product} costs.",
            "Could you quote me a price for the {product}?",
        ],
    },
    "warranty": {
        "train": [
            "How long is the warranty on the {product}?",
            "What warranty does the {product} have?",
            "Is the {product} covered by a warranty, and for how long?",
            "Warranty period of the {product}?",
        ],
        "validation": [
            "How many months of warranty come with the {product}?",
            "Tell me about the warranty of the {product}.",
        ],
        "test": [
            "For how long is the {product} guaranteed?",
            "If the {product} breaks, how long am I covered?",
            "What's the guarantee period for the {product}?",
        ],
    },
    "accessory": {
        "train": [
            "Which accessory works with the {product}?",
            "What accessory fits the {product}?",
            "Is there an accessory for the {product}?",
            "What can I add to the {product}?",
        ],
        "validation": [
            "Which add-on is compatible with the {product}?",
            "Name an accessory for the {product}.",
        ],
        "test": [
            "What extra goes with the {product}?",
            "Which attachment suits the {product}?",
            "Does the {product} have a matching accessory?",
        ],
    },
    "stock": {
        "train": [
            "Is the {product} in stock?",
            "Can I buy the {product} right now?",
            "Do you have the {product} available?",
            "What's the stock status of the {product}?",
        ],
        "validation": ["Is the {product} available today?", "Any {product} units on hand?"],
        "test": [
            "Could I order the {product} today?",
            "Are there any {product} units left?",
            "Is the {product} currently available?",
        ],
    },
}

# ---------------------------------------------------------------------------------------------
# Troubleshooting cases: (symptom, detail) -> the next two steps


@dataclass(frozen=True)
class Case:
    symptom: str
    detail: str  # which branch of the symptom's rule applies
    steps: tuple[str, str]


CASES: tuple[Case, ...] = (
    Case(
        "no_power", "light_off", ("check that the power cable is plugged in", "try another socket")
    ),
    Case(
        "no_power", "light_red", ("hold the power button for 10 seconds", "charge it for an hour")
    ),
    Case(
        "restarting", "old_firmware", ("update the firmware to 3.0", "restart it after the update")
    ),
    Case(
        "restarting", "new_firmware", ("reset it to factory settings", "set it up again in the app")
    ),
    Case(
        "wifi", "others_online", ("forget the network and join it again", "move it near the router")
    ),
    Case("wifi", "all_offline", ("restart your router", "wait two minutes and try again")),
    Case("battery", "worn", ("order a replacement battery", "charge it fully before use")),
    Case("battery", "healthy", ("turn off the always-on mode", "update the app")),
)
ALL_STEPS: tuple[str, ...] = tuple(step for case in CASES for step in case.steps)

SYMPTOMS: dict[str, dict[str, list[str]]] = {
    "no_power": {
        "train": ["will not turn on", "won't power up", "does not switch on"],
        "validation": ["stays dead"],
        "test": ["refuses to start", "shows no sign of life"],
    },
    "restarting": {
        "train": ["keeps restarting", "reboots by itself", "turns itself off and on"],
        "validation": ["restarts every few minutes"],
        "test": ["is stuck in a reboot loop", "keeps rebooting"],
    },
    "wifi": {
        "train": ["will not connect to wifi", "drops the wifi connection", "cannot find the wifi"],
        "validation": ["won't join my network"],
        "test": ["loses the wireless connection", "has no wifi connection"],
    },
    "battery": {
        "train": ["runs out of battery quickly", "drains its battery fast", "dies after an hour"],
        "validation": ["loses charge quickly"],
        "test": ["goes flat within hours", "has a battery that empties fast"],
    },
}
# Detail phrasings; {firmware} and {health} are filled from the item's numbers.
DETAILS: dict[str, dict[str, list[str]]] = {
    "light_off": {
        "train": ["the power light is off", "no light comes on"],
        "validation": ["the light stays dark"],
        "test": ["the indicator is not lit", "there is no light at all"],
    },
    "light_red": {
        "train": ["the power light blinks red", "a red light flashes"],
        "validation": ["the red light keeps blinking"],
        "test": ["the indicator flashes red", "a red light is blinking"],
    },
    "old_firmware": {
        "train": ["it runs firmware {firmware}", "the app shows firmware {firmware}"],
        "validation": ["firmware {firmware} is installed"],
        "test": ["its firmware is version {firmware}", "it is on firmware {firmware}"],
    },
    "others_online": {
        "train": ["my phone connects fine", "other devices work on the same wifi"],
        "validation": ["everything else is online"],
        "test": ["my laptop has no trouble connecting", "the rest of my devices are online"],
    },
    "all_offline": {
        "train": ["no device can connect", "my phone cannot connect either"],
        "validation": ["nothing in the house is online"],
        "test": ["every device has lost the internet", "my laptop is offline too"],
    },
    "battery_health": {
        "train": ["the app says battery health is {health}%", "battery health shows {health}%"],
        "validation": ["battery health reads {health}%"],
        "test": ["its battery health is at {health}%", "the battery health figure is {health}%"],
    },
}
DETAILS["new_firmware"] = DETAILS["old_firmware"]  # the version number decides the branch
DETAILS["worn"] = DETAILS["battery_health"]
DETAILS["healthy"] = DETAILS["battery_health"]
FIRMWARE_CUTOFF = 3.0  # below: update the firmware first
BATTERY_CUTOFF = 80  # battery health below this percentage: replace the battery

TROUBLE_PROMPTS: dict[str, list[str]] = {
    "train": [
        "My {product} {symptom} and {detail}. What should I do?",
        "Problem: the {product} {symptom}; {detail}. Next steps?",
        "Help, my {product} {symptom}. Also {detail}.",
        "The {product} {symptom} and {detail}. How do I fix it?",
    ],
    "validation": [
        "Our {product} {symptom}, and {detail}. Any advice?",
        "Trouble with the {product}: it {symptom} and {detail}.",
    ],
    "test": [
        "I have an issue: the {product} {symptom}, while {detail}. What now?",
        "Since this morning my {product} {symptom}; {detail}. Please advise.",
        "What do you suggest? My {product} {symptom} and {detail}.",
    ],
}

# ---------------------------------------------------------------------------------------------
# Tone: curt drafts to rewrite, and what the customer's message was

CURT_OPENERS: dict[str, list[str]] = {
    "train": ["Look,", "Ugh,", "As I already said,", "Honestly,", "Listen,"],
    "validation": ["Sigh,", "For the last time,"],
    "test": ["Obviously,", "Seriously,", "Like I told you,"],
}
CURT_CLOSERS: dict[str, list[str]] = {
    "train": [
        "Deal with it.",
        "Stop emailing us.",
        "Read the FAQ next time.",
        "Nothing else we can do.",
        "Don't ask again.",
    ],
    "validation": ["Whatever.", "That's all."],
    "test": ["Not our problem.", "Figure it out.", "Take it or leave it."],
}
# Angry openings of the combined items' customer messages (never part of a polite reply).
ANGRY: dict[str, list[str]] = {
    "test": ["This is unacceptable!", "I am so fed up!", "Worst service ever!"],
}
CONTENTS = [
    "your refund was sent on {day}",
    "your parcel will arrive on {day}",
    "your account email is now updated",
    "the invoice is attached to this message",
    "the courier will collect the return on {day}",
    "our store opens at {hour} am",
    "your order number is {order}",
    "the replacement left our warehouse on {day}",
]
SITUATIONS: dict[str, dict[str, list[str]]] = {
    "complaint": {
        "train": ["complained about a delay", "is upset about an order", "reported a problem"],
        "validation": ["is unhappy with the service"],
        "test": ["is annoyed about a mix-up", "wrote in angry"],
    },
    "question": {
        "train": ["asked a question", "asked about an order", "wanted an update"],
        "validation": ["wanted some information"],
        "test": ["had a quick question", "sent an enquiry"],
    },
}
TONE_PROMPTS: dict[str, list[str]] = {
    "train": [
        "Rewrite this reply to {name}, who {situation}, in our house style: {draft}",
        "Make this draft polite. Customer: {name} ({situation}). Draft: {draft}",
        "House style, please. {name} {situation}. Draft reply: {draft}",
        "Polish this answer for {name}, who {situation}: {draft}",
    ],
    "validation": [
        "Turn this into a courteous reply for {name}, who {situation}: {draft}",
        "Fix the tone of this draft to {name} ({situation}): {draft}",
    ],
    "test": [
        "Our agent wrote this to {name}, who {situation}. Rewrite it kindly: {draft}",
        "Please soften this message for {name} ({situation}): {draft}",
        "Customer {name} {situation}. Make the draft below courteous and on-brand: {draft}",
    ],
}
COMBINED_PROMPTS: list[str] = [
    "{name} writes, furious: {angry} My {product} {symptom} and {detail}. {question} "
    "Reply in house style.",
    'Angry message from {name}: "{angry} The {product} {symptom}; {detail}. {question}" '
    "Write our reply.",
    '{name} is livid: "{angry} Our {product} {symptom} and {detail}. {question}" Answer politely.',
]


def normalize(text: str) -> str:
    return " ".join(text.lower().split())


def _phrase(text: str) -> str:
    return normalize(text).strip(" ,.!")


# Phrases a polite reply never contains: every curt draft phrase and angry opening, any split.
RUDE_PHRASES: tuple[str, ...] = tuple(
    sorted(
        {
            _phrase(p)
            for pools in (CURT_OPENERS, CURT_CLOSERS, ANGRY)
            for pool in pools.values()
            for p in pool
        }
    )
)


def _contains_phrase(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def _lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip()]


def tone_checks(output: str, name: str, apology_due: bool) -> dict[str, float]:
    """The house style, part by part (1.0 / 0.0), and tone_ok: all of them."""
    lines = _lines(output)
    text = normalize(output)
    checks = {
        "greeting_ok": bool(lines) and lines[0] == GREETING.format(name=name),
        "apology_ok": ("sorry" in text) == apology_due,
        "thanks_ok": "thank you" in text,
        "signoff_ok": bool(lines) and lines[-1] == SIGN_OFF,
        "no_rude_ok": not any(_contains_phrase(text, phrase) for phrase in RUDE_PHRASES),
    }
    scores = {key: float(value) for key, value in checks.items()}
    scores["tone_ok"] = float(all(checks.values()))
    return scores


def fact_ok(output: str, product: Product, fact: str) -> bool:
    """The right value of the asked fact is stated, and no other value of that kind."""
    text = normalize(output)
    expected = normalize(product.value(fact))
    if not _contains_phrase(text, expected):
        return False
    # word boundaries: "6 months" is not found in "36 months"
    return not any(_contains_phrase(text, other) for other in _all_values(fact) - {expected})


def _all_values(fact: str) -> set[str]:
    if fact == "price":
        return {normalize(p) for p in PRICES}
    if fact == "warranty":
        return {f"{m} months" for m in WARRANTIES}
    if fact == "accessory":
        return {normalize(a) for pool in CATEGORIES.values() for a in pool}
    return {normalize(s) for s in STOCK}


def steps_ok(output: str, steps: tuple[str, ...]) -> tuple[bool, bool]:
    """(every step named, in order; the first step named)."""
    text = normalize(output)
    position = 0
    found_all = True
    for step in steps:
        index = text.find(normalize(step), position)
        if index < 0:
            found_all = False
            break
        position = index + len(step)
    return found_all, normalize(steps[0]) in text


def steps_sentence(steps: tuple[str, ...]) -> str:
    return f"Next steps: {steps[0]}, then {steps[1]}."


def house_reply(name: str, body: str, complaint: bool) -> str:
    opening = f"{APOLOGY} " if complaint else ""
    thanks = THANKS_COMPLAINT if complaint else THANKS_QUESTION
    return f"{GREETING.format(name=name)}\n{opening}{body}\n{thanks}\n{SIGN_OFF}"


def _case_fields(rng: random.Random) -> dict[str, Any]:
    case_index = rng.randrange(len(CASES))
    case = CASES[case_index]
    if case.detail == "old_firmware":
        firmware = f"2.{rng.randint(0, 9)}"
    elif case.detail == "new_firmware":
        firmware = f"{rng.randint(3, 4)}.{rng.randint(0, 9)}"
    else:
        firmware = "3.0"
    if case.detail == "worn":
        health = rng.randint(50, BATTERY_CUTOFF - 1)
    elif case.detail == "healthy":
        health = rng.randint(BATTERY_CUTOFF, 100)
    else:
        health = 100
    return {
        "case": case_index,
        "firmware": firmware,
        "health": health,
        "symptom_pick": rng.randrange(1000),
        "detail_pick": rng.randrange(1000),
    }


def _render_case(split: str, index: int, fields: dict[str, Any]) -> dict[str, str]:
    """The symptom and detail phrasings for one paraphrase (the index varies them)."""
    case = CASES[fields["case"]]
    symptoms = SYMPTOMS[case.symptom][split]
    details = DETAILS[case.detail][split]
    symptom = symptoms[(fields["symptom_pick"] + index) % len(symptoms)]
    detail = details[(fields["detail_pick"] + index) % len(details)]
    return {
        "symptom": symptom,
        "detail": detail.format(firmware=fields["firmware"], health=fields["health"]),
    }


def _split_and_index(template: str) -> tuple[str, int]:
    split, index = template.split("|")
    return split, int(index)


class _SkillSuite(TaskSuite):
    """Templates are "split|index": render() picks the split's own phrasings."""

    prompt_pools: ClassVar[dict[str, list[str]]]
    # test-only suites have no train or validation phrasings
    split_names: tuple[str, ...] = SPLITS

    def __init__(self) -> None:
        self.templates = {
            split: [f"{split}|{i}" for i in range(len(self.prompt_pools[split]))]
            for split in self.split_names
        }

    def items(self, split: str, count: int, paraphrases: int | None = None) -> list[TaskItem]:
        if split not in self.split_names:
            raise ValueError(f"{self.name} has no {split} split")
        return super().items(split, count, paraphrases)


class ToneSkill(_SkillSuite):
    name = "customer_service.tone"
    primary_metric = "tone_ok"
    max_new_tokens = 192
    consistency_mode = "chrf"
    prompt_pools: ClassVar[dict[str, list[str]]] = TONE_PROMPTS

    def sample_fields(self, rng: random.Random) -> dict[str, Any]:
        content = rng.choice(CONTENTS).format(
            day=rng.choice(DAYS), hour=rng.randint(7, 10), order=rng.randint(10000, 99999)
        )
        return {
            "name": rng.choice(NAMES),
            "complaint": rng.random() < 0.5,
            "content": content,
            "pick": rng.randrange(1000),
        }

    def render(self, template: str, fields: dict[str, Any]) -> str:
        split, index = _split_and_index(template)
        pick = fields["pick"] + index
        kind = "complaint" if fields["complaint"] else "question"
        situations = SITUATIONS[kind][split]
        opener = CURT_OPENERS[split][pick % len(CURT_OPENERS[split])]
        closer = CURT_CLOSERS[split][pick % len(CURT_CLOSERS[split])]
        draft = f"{opener} {fields['content']}. {closer}"
        return TONE_PROMPTS[split][index].format(
            name=fields["name"], situation=situations[pick % len(situations)], draft=draft
        )

    def reference(self, fields: dict[str, Any]) -> str:
        content = fields["content"]
        return house_reply(
            fields["name"], f"{content[0].upper()}{content[1:]}.", fields["complaint"]
        )

    def answer(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": fields["name"],
            "complaint": fields["complaint"],
            "content": fields["content"],
        }

    def score_output(self, item: TaskItem, output: str) -> dict[str, float]:
        scores = tone_checks(output, item.answer["name"], item.answer["complaint"])
        scores["content_kept"] = float(normalize(item.answer["content"]) in normalize(output))
        return scores

    def own_metric_info(self) -> dict[str, MetricInfo]:
        return {**TONE_INFO, "content_kept": CONTENT_INFO}


class KnowledgeSkill(_SkillSuite):
    name = "customer_service.knowledge"
    primary_metric = "fact_accuracy"
    max_new_tokens = 96
    prompt_pools: ClassVar[dict[str, list[str]]] = {
        split: QUESTIONS["price"][split] for split in SPLITS
    }

    def __init__(self) -> None:
        super().__init__()
        for fact, pools in QUESTIONS.items():  # the template "split|i" indexes every fact's pool
            for split in SPLITS:
                assert len(pools[split]) == len(self.prompt_pools[split]), (fact, split)

    def sample_fields(self, rng: random.Random) -> dict[str, Any]:
        return {"product": rng.randrange(len(CATALOGUE)), "fact": rng.choice(FACTS)}

    def render(self, template: str, fields: dict[str, Any]) -> str:
        split, index = _split_and_index(template)
        product = CATALOGUE[fields["product"]]
        return QUESTIONS[fields["fact"]][split][index].format(product=product.name)

    def reference(self, fields: dict[str, Any]) -> str:
        return CATALOGUE[fields["product"]].sentence(fields["fact"])

    def answer(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {"product": CATALOGUE[fields["product"]].name, "fact": fields["fact"]}

    def score_output(self, item: TaskItem, output: str) -> dict[str, float]:
        product = PRODUCTS_BY_NAME[item.answer["product"]]
        return {
            "fact_accuracy": float(fact_ok(output, product, item.answer["fact"])),
            "product_named": float(normalize(product.name) in normalize(output)),
        }

    def own_metric_info(self) -> dict[str, MetricInfo]:
        return {
            "fact_accuracy": FACT_INFO,
            "product_named": MetricInfo("share of outputs that name the product asked about"),
        }


class TroubleshootingSkill(_SkillSuite):
    name = "customer_service.troubleshooting"
    primary_metric = "steps_accuracy"
    max_new_tokens = 128
    prompt_pools: ClassVar[dict[str, list[str]]] = TROUBLE_PROMPTS

    def sample_fields(self, rng: random.Random) -> dict[str, Any]:
        return {"product": rng.randrange(len(CATALOGUE)), **_case_fields(rng)}

    def render(self, template: str, fields: dict[str, Any]) -> str:
        split, index = _split_and_index(template)
        return TROUBLE_PROMPTS[split][index].format(
            product=CATALOGUE[fields["product"]].name, **_render_case(split, index, fields)
        )

    def reference(self, fields: dict[str, Any]) -> str:
        return steps_sentence(CASES[fields["case"]].steps)

    def answer(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {"steps": list(CASES[fields["case"]].steps)}

    def score_output(self, item: TaskItem, output: str) -> dict[str, float]:
        all_found, first_found = steps_ok(output, tuple(item.answer["steps"]))
        return {"steps_accuracy": float(all_found), "first_step_accuracy": float(first_found)}

    def own_metric_info(self) -> dict[str, MetricInfo]:
        return {
            "steps_accuracy": STEPS_INFO,
            "first_step_accuracy": MetricInfo(
                "share of outputs that name the right first troubleshooting step"
            ),
        }


class CombinedSkills(_SkillSuite):
    """Held-out items that need every skill at once (test split only)."""

    name = "customer_service.combined"
    primary_metric = "all_skills_ok"
    max_new_tokens = 288
    consistency_mode = "chrf"
    prompt_pools: ClassVar[dict[str, list[str]]] = {"test": COMBINED_PROMPTS}
    split_names = ("test",)

    def sample_fields(self, rng: random.Random) -> dict[str, Any]:
        return {
            "name": rng.choice(NAMES),
            "product": rng.randrange(len(CATALOGUE)),
            "fact": rng.choice(FACTS),
            "angry_pick": rng.randrange(1000),
            "question_pick": rng.randrange(1000),
            **_case_fields(rng),
        }

    def render(self, template: str, fields: dict[str, Any]) -> str:
        split, index = _split_and_index(template)
        product = CATALOGUE[fields["product"]]
        questions = QUESTIONS[fields["fact"]][split]
        angry = ANGRY[split]
        return COMBINED_PROMPTS[index].format(
            name=fields["name"],
            product=product.name,
            angry=angry[(fields["angry_pick"] + index) % len(angry)],
            question=questions[(fields["question_pick"] + index) % len(questions)].format(
                product=product.name
            ),
            **_render_case(split, index, fields),
        )

    def reference(self, fields: dict[str, Any]) -> str:
        product = CATALOGUE[fields["product"]]
        steps = CASES[fields["case"]].steps
        body = f"{product.sentence(fields['fact'])} {steps_sentence(steps)}"
        return house_reply(fields["name"], body, complaint=True)

    def answer(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": fields["name"],
            "product": CATALOGUE[fields["product"]].name,
            "fact": fields["fact"],
            "steps": list(CASES[fields["case"]].steps),
        }

    def score_output(self, item: TaskItem, output: str) -> dict[str, float]:
        tone = tone_checks(output, item.answer["name"], apology_due=True)["tone_ok"]
        product = PRODUCTS_BY_NAME[item.answer["product"]]
        fact = float(fact_ok(output, product, item.answer["fact"]))
        steps = float(steps_ok(output, tuple(item.answer["steps"]))[0])
        return {
            "all_skills_ok": float(tone == fact == steps == 1.0),
            "tone_ok": tone,
            "fact_ok": fact,
            "steps_ok": steps,
        }

    def own_metric_info(self) -> dict[str, MetricInfo]:
        return {
            "all_skills_ok": MetricInfo(
                "share of outputs that pass all three checks at once: tone_ok, fact_ok and "
                "steps_ok, 0-1"
            ),
            "tone_ok": TONE_INFO["tone_ok"],
            "fact_ok": MetricInfo(
                "share of outputs that state the asked catalogue fact correctly (and no other "
                "value of that kind), 0-1"
            ),
            "steps_ok": MetricInfo(
                "share of outputs that give the right two troubleshooting steps in order, 0-1"
            ),
        }


TONE_INFO: dict[str, MetricInfo] = {
    "tone_ok": MetricInfo(
        "share of outputs in the house style: first line 'Hello <name>,', an apology exactly "
        "when the customer complained, a 'thank you', last line 'Kind regards, Support', and "
        "none of the curt or angry phrases of any draft, 0-1"
    ),
    "greeting_ok": MetricInfo("share of outputs whose first line greets the customer by name"),
    "apology_ok": MetricInfo(
        "share of outputs that apologise when the customer complained and only then"
    ),
    "thanks_ok": MetricInfo("share of outputs that thank the customer"),
    "signoff_ok": MetricInfo("share of outputs whose last line is the house sign-off"),
    "no_rude_ok": MetricInfo("share of outputs free of every curt or angry draft phrase"),
}
CONTENT_INFO = MetricInfo("share of outputs that keep the draft's content word for word")
FACT_INFO = MetricInfo(
    "share of answers that state the asked catalogue fact correctly (price, warranty months, "
    "compatible accessory or stock status) and no other value of that kind, 0-1; the "
    "questions use phrasings never seen in training"
)
STEPS_INFO = MetricInfo(
    "share of answers that name the right two next steps for the symptom and its detail, in "
    "order, 0-1"
)


def skill_suites() -> dict[str, TaskSuite]:
    """The skills of customer_service, by name, in SKILL_NAMES order."""
    return {
        "tone": ToneSkill(),
        "knowledge": KnowledgeSkill(),
        "troubleshooting": TroubleshootingSkill(),
    }


def combined_suite() -> TaskSuite:
    return CombinedSkills()
