"""customer_service: classify a customer message into intent + resolution and reply.

The resolution sometimes depends on a detail in the message (days since purchase against a
30-day refund window; whether an order has shipped), so the answer is not a pure lookup.
Metric: intent_resolution_exact_match (both labels right).
"""

from __future__ import annotations

import random
from typing import Any

from faceoff_trainer.suites.base import MetricInfo, TaskItem, TaskSuite, field_line

PRODUCTS = [
    "blender",
    "desk lamp",
    "headphones",
    "backpack",
    "coffee grinder",
    "keyboard",
    "yoga mat",
    "water bottle",
    "phone case",
    "rice cooker",
    "monitor",
    "kettle",
]
PLANS = ["Basic", "Plus", "Family", "Pro", "Student"]

# Each intent: core phrasings per split (train / validation / test are disjoint).
PHRASINGS: dict[str, dict[str, list[str]]] = {
    "refund_request": {
        "train": [
            "I want my money back for the {product} I bought {days} days ago.",
            "Can I get a refund on the {product}? I purchased it {days} days ago.",
            "Please refund my {product}, bought {days} days back.",
            "The {product} isn't for me, I'd like a refund. Ordered {days} days ago.",
            "Requesting a refund for a {product} purchased {days} days ago.",
        ],
        "validation": [
            "Is it possible to return the {product} for a refund? Got it {days} days ago.",
            "{days} days ago I bought a {product} and now I want a refund.",
        ],
        "test": [
            "I'd like to send back the {product} and be refunded; it arrived {days} days ago.",
            "Refund please: {product}, purchased {days} days ago.",
            "How do I get reimbursed for the {product}? I paid for it {days} days ago.",
        ],
    },
    "order_status": {
        "train": [
            "Where is my order #{order}?",
            "What's the status of order #{order}?",
            "Order #{order} hasn't arrived yet, any update?",
            "Can you track order #{order} for me?",
            "Has order #{order} shipped?",
        ],
        "validation": [
            "Any news on my package, order #{order}?",
            "I'm still waiting on order #{order}.",
        ],
        "test": [
            "When will order #{order} get here?",
            "Could you check where order #{order} is right now?",
            "Tracking info for order #{order}, please.",
        ],
    },
    "cancel_subscription": {
        "train": [
            "Please cancel my {plan} subscription.",
            "I want to stop my {plan} plan.",
            "How do I end my {plan} membership?",
            "Cancel the {plan} plan on my account.",
            "I no longer need the {plan} subscription, cancel it.",
        ],
        "validation": [
            "Stop renewing my {plan} plan please.",
            "I'd like to unsubscribe from {plan}.",
        ],
        "test": [
            "Terminate my {plan} subscription.",
            "Don't charge me for {plan} anymore, end it.",
            "Can you close my {plan} membership?",
        ],
    },
    "password_reset": {
        "train": [
            "I forgot my password.",
            "I can't log in, I need to reset my password.",
            "Help me reset my password please.",
            "My password doesn't work anymore.",
            "How do I change a password I can't remember?",
        ],
        "validation": [
            "Locked out of my account, password forgotten.",
            "Need a new password, the old one is lost.",
        ],
        "test": [
            "I can't remember my login password.",
            "Please send me a way to set a new password.",
            "My account won't accept my password, can you reset it?",
        ],
    },
    "damaged_item": {
        "train": [
            "My {product} arrived broken.",
            "The {product} came damaged.",
            "The {product} I received is cracked.",
            "My new {product} was smashed in the box.",
            "The {product} was delivered in pieces.",
        ],
        "validation": [
            "The {product} showed up dented and unusable.",
            "I opened the box and the {product} was broken.",
        ],
        "test": [
            "The {product} was damaged during delivery.",
            "My {product} arrived with a crack in it.",
            "The {product} I got is broken out of the box.",
        ],
    },
    "billing_error": {
        "train": [
            "I was charged twice for ${amount}.",
            "There's a double charge of ${amount}.",
            "You billed me ${amount} two times.",
            "My card shows two charges of ${amount}.",
            "Why was ${amount} taken twice from my account?",
        ],
        "validation": [
            "I see a duplicate payment of ${amount}.",
            "${amount} was charged to me twice by mistake.",
        ],
        "test": [
            "My statement lists ${amount} twice.",
            "I got billed ${amount} a second time.",
            "Duplicate ${amount} charge on my card, please fix.",
        ],
    },
    "address_change": {
        "train": [
            "I need to change the delivery address for order #{order}; it {shipped_text}.",
            "Please update the shipping address on order #{order}, which {shipped_text}.",
            "Wrong address on order #{order}! It {shipped_text}.",
            "Can order #{order} go to a new address? It {shipped_text}.",
            "Change where order #{order} is delivered; it {shipped_text}.",
        ],
        "validation": [
            "I moved, so order #{order} needs a new address; it {shipped_text}.",
            "Send order #{order} somewhere else please, it {shipped_text}.",
        ],
        "test": [
            "Order #{order} should go to my new address. It {shipped_text}.",
            "The address on order #{order} is outdated; the order {shipped_text}.",
            "Redirect order #{order} to another address? It {shipped_text}.",
        ],
    },
}

REPLIES = {
    "refund_in_full": "Sorry the {product} did not work out. Your full refund is on its way.",
    "offer_store_credit": "The {product} is past the 30-day window, so I have added store credit.",
    "share_tracking_link": "Order #{order} is on its way. I have emailed you the tracking link.",
    "cancel_at_period_end": "Your {plan} plan will end at the close of this billing period.",
    "send_reset_link": "I have sent a password reset link to your email address.",
    "ship_replacement": "Sorry the {product} arrived damaged. A replacement ships today.",
    "refund_duplicate_charge": "I found the duplicate ${amount} charge and refunded it.",
    "update_address": "Order #{order} has not shipped, so I updated the address.",
    "redirect_with_carrier": "Order #{order} already shipped, so the carrier will redirect it.",
}
OPENERS = {
    "train": ["", "Hi, ", "Hello. ", "Hey there, "],
    "validation": ["Good morning. ", ""],
    "test": ["Hi team, ", "", "Excuse me, "],
}


def _resolution(intent: str, fields: dict[str, Any]) -> str:
    rules = {
        "refund_request": "refund_in_full" if fields["days"] <= 30 else "offer_store_credit",
        "order_status": "share_tracking_link",
        "cancel_subscription": "cancel_at_period_end",
        "password_reset": "send_reset_link",
        "damaged_item": "ship_replacement",
        "billing_error": "refund_duplicate_charge",
        "address_change": "redirect_with_carrier" if fields["shipped"] else "update_address",
    }
    return rules[intent]


class CustomerService(TaskSuite):
    name = "customer_service"
    primary_metric = "intent_resolution_exact_match"
    max_new_tokens = 120

    def __init__(self) -> None:
        # A template is "split|opener|phrasing index"; render() uses the item's own intent.
        # Training crosses every opener with every phrasing; validation and test pair them so
        # that the paraphrases of a test item use different phrasings.
        counts = {split: len(PHRASINGS["order_status"][split]) for split in OPENERS}
        for intent, pools in PHRASINGS.items():
            for split, pool in pools.items():
                assert len(pool) == counts[split], (intent, split)
        self.templates = {
            "train": [f"train|{o}|{i}" for o in OPENERS["train"] for i in range(counts["train"])],
            **{
                split: [
                    f"{split}|{OPENERS[split][i % len(OPENERS[split])]}|{i}"
                    for i in range(counts[split])
                ]
                for split in ("validation", "test")
            },
        }

    def sample_fields(self, rng: random.Random) -> dict[str, Any]:
        shipped = rng.random() < 0.5
        return {
            "intent": rng.choice(sorted(PHRASINGS)),
            "product": rng.choice(PRODUCTS),
            "plan": rng.choice(PLANS),
            "days": rng.randint(2, 60),
            "order": rng.randint(10000, 99999),
            "amount": f"{rng.randint(5, 199)}.{rng.randint(0, 99):02d}",
            "shipped": shipped,
            "shipped_text": "has already shipped" if shipped else "has not shipped yet",
        }

    def render(self, template: str, fields: dict[str, Any]) -> str:
        split, opener, index = template.split("|")
        text = PHRASINGS[fields["intent"]][split][int(index)].format(**fields)
        if opener.endswith(", ") and not text.startswith(("I ", "I'", "$")):
            text = text[0].lower() + text[1:]
        return opener + text

    def reference(self, fields: dict[str, Any]) -> str:
        resolution = _resolution(fields["intent"], fields)
        reply = REPLIES[resolution].format(**fields)
        return f"intent: {fields['intent']}\nresolution: {resolution}\nreply: {reply}"

    def answer(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {"intent": fields["intent"], "resolution": _resolution(fields["intent"], fields)}

    def score_output(self, item: TaskItem, output: str) -> dict[str, float]:
        intent = field_line(output, "intent")
        resolution = field_line(output, "resolution")
        intent_ok = intent == item.answer["intent"]
        both_ok = intent_ok and resolution == item.answer["resolution"]
        return {
            "intent_resolution_exact_match": float(both_ok),
            "intent_accuracy": float(intent_ok),
        }

    def answer_key(self, item: TaskItem, output: str) -> object:
        return (field_line(output, "intent"), field_line(output, "resolution"))

    def own_metric_info(self) -> dict[str, MetricInfo]:
        return {
            "intent_resolution_exact_match": MetricInfo(
                "share of outputs whose 'intent:' and 'resolution:' lines both exactly match the "
                "reference labels, 0-1"
            ),
            "intent_accuracy": MetricInfo("share of outputs with the right 'intent:' label, 0-1"),
        }
