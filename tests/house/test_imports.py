"""The house's shape: the settings are a leaf that loads nothing heavy, and the import contracts hold."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

HEAVY = ("requests", "urllib3", "sqlite3", "cv2", "numpy", "jinja2", "bs4", "tweepy", "feedparser")


def loaded_by(module: str) -> list[str]:
    """The heavy modules a fresh interpreter has loaded after importing `module`."""
    code = f"import sys, json, {module}; print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    return list(json.loads(done.stdout))


@pytest.mark.parametrize(
    "module", ["auditor.settings", "auditor.config", "auditor.results", "auditor.model", "auditor.platforms"]
)
def test_the_leaves_load_nothing_heavy(module):
    assert loaded_by(module) == []


def test_the_import_contracts_hold():
    # The contracts are in pyproject.toml ([tool.importlinter]); CI runs the same command.
    command = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(command)], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "0 broken" in done.stdout


def _project_files() -> list[Path]:
    roots = [REPO / "auditor", REPO / "connectors", REPO / "reports", REPO / "tests", REPO / "benchmarks"]
    skip = {REPO / "auditor" / "connectors", REPO / "auditor" / "reports"}  # the links to the two root folders
    return [p for root in roots for p in root.rglob("*.py") if not any(p.is_relative_to(s) for s in skip)]


def test_one_installed_top_level_package():
    # `connectors` and `reports` are names other distributions on the package index use: the project installs only
    # `auditor`, with the design card's root folders mapped into it as auditor.connectors and auditor.reports.
    import importlib.metadata as metadata

    dist = metadata.distribution("ihs-social-auditor")
    assert (dist.read_text("top_level.txt") or "").split() == ["auditor"]
    for name in ("connectors", "reports"):
        link = REPO / "auditor" / name
        assert link.is_symlink() and link.resolve() == (REPO / name).resolve(), f"auditor/{name} should link to {name}/"


def test_nothing_imports_the_root_folders_by_their_bare_names():
    import ast

    bare = []
    for path in _project_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            bare += [f"{path.relative_to(REPO)}: {n}" for n in names if n.split(".")[0] in ("connectors", "reports")]
    assert bare == []


def test_a_whole_audit_loads_each_module_once(sample, tmp_path):
    # Loaded under two names, a module would have two copies of its state (the platform registry, the outbox), and
    # the reports' templates would be looked up in whatever else is installed as `reports`.
    code = (
        "import sys; from auditor.cli import main;"
        f"args = ['run', '--all', '--offline', '--config', {str(sample)!r}, '--out', {str(tmp_path / 'out')!r}];"
        "status = main(args);"
        "print(status, sorted(m for m in sys.modules if m.split('.')[0] in ('connectors', 'reports')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.stdout.strip().splitlines()[-1] == "1 []", done.stderr[-2000:]
    assert (tmp_path / "out" / "index.html").is_file()


def test_no_module_imports_itself_back():
    # No import circle among the project's modules (imports that run; those made only for type annotations do not).
    import grimp

    graph = grimp.build_graph("auditor", exclude_type_checking_imports=True)
    circles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(importer=imported, imported=module):
                circles.append(f"{module} -> {imported} -> ... -> {module}")
    assert circles == []
