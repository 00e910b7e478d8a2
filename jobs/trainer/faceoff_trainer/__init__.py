"""Faceoff trainer: measured LoRA vs full fine-tuning runs, reported as JSON-lines events."""

__version__ = "0.1.0"
