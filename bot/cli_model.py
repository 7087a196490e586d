"""CLI commands for the category model and accounts (filled in with the classifier)."""

from __future__ import annotations

import argparse


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Registered later: train, evaluate, classify, model, account."""
