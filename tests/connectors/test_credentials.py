"""Each platform's credential variables are declared once, in its PlatformSpec, and read through one helper that
takes the spec: no connector writes a variable's name itself, and errors name the variable, never its value."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from auditor import platforms
from auditor.connectors import ConnectorError
from auditor.connectors.incremental import credential, credential_name
from auditor.platforms import PlatformSpec
from tests.conftest import REPO

SPEC = PlatformSpec("toy", "Toy", "tests.toy", "ToyConnector", credentials=("TOY_TOKEN", "TOY_SECRET"))


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """Every string in a module's code, docstrings left out (they are prose for readers)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_connector_writes_a_credential_variables_name():
    variables = {v for spec in platforms.specs() for v in spec.credentials}
    assert {"X_BEARER_TOKEN", "META_ACCESS_TOKEN", "YOUTUBE_API_KEY"} <= variables
    found = [
        f"{path.name}:{line}: {variable}"
        for path in sorted((REPO / "connectors").glob("*.py"))
        for line, text in _code_strings(path)
        for variable in variables
        if variable in text
    ]
    assert found == [], "read the name from the platform's spec (credential_name) instead"


def test_the_helper_reads_the_variable_the_spec_declares(monkeypatch):
    monkeypatch.setenv("TOY_TOKEN", "  tok-123456  ")
    monkeypatch.setenv("TOY_SECRET", "sec-654321")
    assert credential(SPEC, "a toy token") == "tok-123456"
    assert credential(SPEC, "a toy secret", index=1) == "sec-654321"
    assert credential_name(SPEC, 1) == "TOY_SECRET"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_a_missing_credential_names_the_variable_never_a_value(monkeypatch, value):
    monkeypatch.setenv("TOY_SECRET", "sec-654321")  # another of its variables, set: never quoted
    if value is None:
        monkeypatch.delenv("TOY_TOKEN", raising=False)
    else:
        monkeypatch.setenv("TOY_TOKEN", value)
    with pytest.raises(ConnectorError, match=r"^set TOY_TOKEN to a toy token; it is not set") as caught:
        credential(SPEC, "a toy token")
    assert "sec-654321" not in str(caught.value)


def test_a_spec_without_that_credential_is_a_programming_error():
    with pytest.raises(ValueError, match="declares no credential number 3"):
        credential(SPEC, "a third", index=2)


def test_require_knows_the_built_ins_and_refuses_the_unknown():
    assert platforms.require("x").credentials == ("X_BEARER_TOKEN",)
    with pytest.raises(KeyError):
        platforms.require("no-such-platform")
