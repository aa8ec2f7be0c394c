"""Types for command-line arguments: a bad value stops the command before it starts,
with a message saying what to give instead."""

from __future__ import annotations

import argparse
import re

from index.models import CORPUS_NAME_PATTERN, CORPUS_NAME_RULE


def corpus_name(text: str) -> str:
    if not re.fullmatch(CORPUS_NAME_PATTERN, text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a corpus name; use {CORPUS_NAME_RULE}")
    return text


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return value
