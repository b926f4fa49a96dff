"""The layers hold without hiding: the import contract (``make lint``) sees only imports at the
top of a module, so an app that imported another inside a function would slip past it. No
module of meetings, the pathway or access imports another riskpath app inside a function, and
the contract lists no exception."""

from __future__ import annotations

import ast
import pathlib
import tomllib

import riskpath

ROOT = pathlib.Path(riskpath.__file__).parent
GUARDED = ("meetings", "pathway", "access")


def _hidden_imports(app: str) -> list[str]:
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                names: list[str] = []
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                for name in names:
                    parts = name.split(".")
                    if parts[0] == "riskpath" and len(parts) > 1 and parts[1] != app:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    return found


def test_no_app_of_meetings_the_pathway_or_access_hides_an_import_of_another() -> None:
    hidden = [line for app in GUARDED for line in _hidden_imports(app)]
    assert not hidden, "imports of another app inside a function:\n" + "\n".join(hidden)


def test_the_layers_contract_lists_no_exception() -> None:
    config = tomllib.loads((ROOT.parent / "pyproject.toml").read_text())
    for contract in config["tool"]["importlinter"]["contracts"]:
        assert not contract.get("ignore_imports"), contract["name"]
