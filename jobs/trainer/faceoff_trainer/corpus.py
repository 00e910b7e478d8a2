"""The general-text corpus for pretraining the tiny model: docstrings of Python's stdlib.

Collected with `ast` from the installed standard library (about 1.5 M characters of English
technical text, a few seconds, fully offline). Files are read in sorted order, so the corpus is
deterministic for a given Python version; about 1 in 20 files (chosen by a hash of the path)
is held out for the pretraining validation loss.
"""

from __future__ import annotations

import ast
import hashlib
import sysconfig
from dataclasses import dataclass
from pathlib import Path

RECIPE = "stdlib-docstrings/v1: module+class+function docstrings; tests, idlelib, lib2to3, "
RECIPE += "tkinter, turtledemo, site-packages excluded; held out: sha1(relpath) % 20 == 0"
SKIPPED_TOP_DIRS = {"site-packages", "test", "idlelib", "lib2to3", "tkinter", "turtledemo"}
DOC_NODES = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class Corpus:
    train_docs: list[str]
    heldout_docs: list[str]
    files: int

    @property
    def train_text(self) -> str:
        return "\n\n".join(self.train_docs)

    @property
    def docstrings(self) -> int:
        return len(self.train_docs) + len(self.heldout_docs)


def _is_skipped(parts: tuple[str, ...]) -> bool:
    return parts[0] in SKIPPED_TOP_DIRS or "test" in parts or "tests" in parts


def collect_stdlib_docstrings(heldout_only: bool = False) -> Corpus:
    """The corpus; with `heldout_only`, only the held-out files are parsed (a twentieth of the
    time: what measuring general-text loss needs)."""
    root = Path(sysconfig.get_paths()["stdlib"])
    train: list[str] = []
    heldout: list[str] = []
    files = 0
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if _is_skipped(rel.parts):
            continue
        digest = int(hashlib.sha1(rel.as_posix().encode()).hexdigest(), 16)
        if heldout_only and digest % 20 != 0:
            continue
        try:
            tree = ast.parse(path.read_bytes())
        except (SyntaxError, ValueError):
            continue
        files += 1
        target = heldout if digest % 20 == 0 else train
        for node in ast.walk(tree):
            if isinstance(node, DOC_NODES):
                doc = ast.get_docstring(node)
                if doc:
                    target.append(doc.strip())
    return Corpus(train_docs=train, heldout_docs=heldout, files=files)
