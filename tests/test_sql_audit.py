"""Every SQL string storyline sends is a constant or built only from constants:
user input reaches the database as bound parameters, never spliced in."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

SQL_CALLS = {"exec_driver_sql", "text", "execute", "executescript", "executemany"}
# Names an f-string may splice into SQL: constants of the module, and values
# drawn from constant tables of the code (a column of PARTY_FIELDS, a query
# made of bound-parameter placeholders).
SPLICEABLE = {"ANALYSIS_LOCK", "WRITE_LOCK", "column", "tsquery"}


def _sql_calls(tree: ast.AST) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute | ast.Name)
        and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) in SQL_CALLS
        and node.args
    ]


def _spliced(arg: ast.expr) -> set[str]:
    """Names interpolated into a string argument (f-string parts, .format keywords)."""
    names: set[str] = set()
    for node in ast.walk(arg):
        if isinstance(node, ast.FormattedValue):
            names |= {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
            names |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    return names


@pytest.mark.parametrize(
    "path", sorted((REPO / "src" / "storyline").rglob("*.py")), ids=lambda p: p.name
)
def test_sql_is_built_only_from_constants(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for call in _sql_calls(tree):
        spliced = _spliced(call.args[0]) - SPLICEABLE
        assert not spliced, f"{path.name}:{call.lineno} splices {sorted(spliced)} into SQL"


def test_the_audit_catches_a_spliced_value() -> None:
    bad = ast.parse('conn.exec_driver_sql(f"SELECT * FROM documents WHERE id = {doc_id}")')
    [call] = _sql_calls(bad)
    assert _spliced(call.args[0]) == {"doc_id"}
