"""The pure layers stay pure: models imports nothing of ours, dialogs only models."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = {"bot", "store", "classifier", "dialogs", "models", "tests"}
ALLOWED = {"models": {"models"}, "dialogs": {"dialogs", "models"}}
IMPURE = {"aiohttp", "pymongo", "wechatpy", "jieba", "sklearn", "requests", "asyncio"}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports(layer):
    for path in (ROOT / layer).rglob("*.py"):
        imported = imported_packages(path)
        assert imported & OURS <= ALLOWED[layer], path
        assert not imported & IMPURE, path
