"""Text <-> token ids: a byte-level tokenizer for the tiny model, a wrapper for HF tokenizers.

Both expose the same small interface (`TextCodec`) so data preparation, training and
generation do not care which model family is used.

Byte-level format (tiny model): ``<bos> prompt-bytes <sep> completion-bytes <eos>``.
Chat messages without a chat template use this documented plain format (`plain_chat_prompt`):
``<|system|>\\n...\\n<|user|>\\n...\\n<|assistant|>\\n`` followed by the assistant answer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

from faceoff_trainer.errors import BadConfig

BYTE_TOKENIZER_FILE = "faceoff_tokenizer.json"
PLAIN_RESPONSE_MARKER = "\n\n### Response:\n"


class TextCodec(Protocol):
    pad_id: int
    eos_id: int
    name: str
    has_chat_template: bool

    def prompt_ids(self, prompt: str, templated: bool = False) -> list[int]: ...

    def completion_ids(self, completion: str) -> list[int]: ...

    def decode(self, ids: list[int]) -> str: ...

    def chat_prompt(self, messages: list[dict[str, str]]) -> tuple[str, bool]: ...


def plain_chat_prompt(messages: list[dict[str, str]]) -> str:
    parts = [f"<|{m['role']}|>\n{m['content']}\n" for m in messages]
    return "".join(parts) + "<|assistant|>\n"


class ByteTokenizer:
    """256 byte ids plus specials: pad=256, bos=257, eos=258, sep=259 (vocab padded to 264)."""

    name = "faceoff-byte"
    pad_id = 256
    bos_id = 257
    eos_id = 258
    sep_id = 259
    vocab_size = 264
    has_chat_template = False

    def encode(self, text: str) -> list[int]:
        return list(text.encode("utf-8"))

    def prompt_ids(self, prompt: str, templated: bool = False) -> list[int]:
        return [self.bos_id, *self.encode(prompt), self.sep_id]

    def completion_ids(self, completion: str) -> list[int]:
        return [*self.encode(completion), self.eos_id]

    def decode(self, ids: list[int]) -> str:
        data = bytes(i for i in ids if 0 <= i < 256)
        return data.decode("utf-8", errors="replace")

    def chat_prompt(self, messages: list[dict[str, str]]) -> tuple[str, bool]:
        return plain_chat_prompt(messages), False

    def save(self, directory: Path) -> None:
        spec = {
            "type": self.name,
            "version": 1,
            "vocab_size": self.vocab_size,
            "specials": {
                "pad": self.pad_id,
                "bos": self.bos_id,
                "eos": self.eos_id,
                "sep": self.sep_id,
            },
            "format": "<bos> prompt-bytes <sep> completion-bytes <eos>",
        }
        (directory / BYTE_TOKENIZER_FILE).write_text(json.dumps(spec, indent=2) + "\n")


class HFCodec:
    """Wraps a Hugging Face tokenizer; prompt/completion pairs use a plain response marker."""

    name = "hf"

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer
        if tokenizer.eos_token_id is None:
            raise ValueError("tokenizer has no eos token")
        self.eos_id = int(tokenizer.eos_token_id)
        pad = tokenizer.pad_token_id
        self.pad_id = int(pad) if pad is not None else self.eos_id
        self.has_chat_template = bool(getattr(tokenizer, "chat_template", None))

    def prompt_ids(self, prompt: str, templated: bool = False) -> list[int]:
        if templated:
            # The chat template already placed BOS and the assistant header.
            return list(self.tokenizer(prompt, add_special_tokens=False)["input_ids"])
        text = prompt + PLAIN_RESPONSE_MARKER
        return list(self.tokenizer(text, add_special_tokens=True)["input_ids"])

    def completion_ids(self, completion: str) -> list[int]:
        ids = list(self.tokenizer(completion, add_special_tokens=False)["input_ids"])
        return [*ids, self.eos_id]

    def decode(self, ids: list[int]) -> str:
        return str(self.tokenizer.decode(ids, skip_special_tokens=True))

    def chat_prompt(self, messages: list[dict[str, str]]) -> tuple[str, bool]:
        """Return (prompt text, templated): the model's chat template when it has one (its
        default system message included), else the plain chat format."""
        if self.has_chat_template:
            text = self.tokenizer.apply_chat_template(
                messages, tokenize=False, add_generation_prompt=True
            )
            return str(text), True
        return plain_chat_prompt(messages), False


def load_codec(model_dir_or_id: str) -> TextCodec:
    """Byte tokenizer when the directory carries its spec file, else the HF tokenizer."""
    path = Path(model_dir_or_id)
    if (path / BYTE_TOKENIZER_FILE).is_file():
        return ByteTokenizer()
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir_or_id)
    if tokenizer.eos_token_id is None:
        raise BadConfig(
            "model",
            f"could not load {model_dir_or_id!r} as a model: its tokenizer has no end token",
        )
    return HFCodec(tokenizer)
