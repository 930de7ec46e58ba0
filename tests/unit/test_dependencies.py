"""What `make run` installs is what the app imports: every imported distribution is declared in pyproject.toml, and
the lock files pin every declared one within its range."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

RUNTIME = [ROOT / "app.py", ROOT / "gunicorn.conf.py", ROOT / "vocab.py",
           *(p for folder in ("etl", "mission", "pages", "ui") for p in (ROOT / folder).rglob("*.py"))]
OWN = {"app", "etl", "i18n", "mission", "pages", "ui", "vocab"}
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def imported_modules(paths) -> dict[str, str]:
    """Top-level module -> the first file that imports it (at the top or inside a function)."""
    found: dict[str, str] = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def declared(requirements: list[str]) -> dict[str, Requirement]:
    return {canonicalize_name(r.name): r for r in map(Requirement, requirements)}


def locked(name: str) -> dict[str, list[str]]:
    """Package -> its pinned versions (more than one where markers split by Python version)."""
    pins: dict[str, list[str]] = {}
    for match in re.finditer(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", (ROOT / "requirements" / name).read_text(), re.M):
        pins.setdefault(canonicalize_name(match.group(1)), []).append(match.group(2))
    return pins


def test_every_module_the_app_etl_and_briefs_import_is_a_declared_runtime_dependency():
    runtime = declared(PROJECT["dependencies"])
    distributions = importlib.metadata.packages_distributions()
    missing = []
    for module, where in sorted(imported_modules(RUNTIME).items()):
        if module in sys.stdlib_module_names or module in OWN or module == "__future__":
            continue
        names = {canonicalize_name(d) for d in distributions.get(module, [])}
        if not names & runtime.keys():
            missing.append(f"{module} (imported by {where}; distribution {sorted(names) or 'not installed'})")
    assert not missing, "declare in pyproject.toml's dependencies, then `make lock`: " + "; ".join(missing)


def test_the_scan_sees_imports_inside_functions_too():
    modules = imported_modules(RUNTIME)
    assert {"numpy", "kaleido", "fpdf", "flask_compress", "duckdb"} <= modules.keys()


def test_the_lock_files_pin_every_declared_dependency_within_its_range():
    run, test = locked("run.txt"), locked("test.txt")
    for lock, requirements in ((run, PROJECT["dependencies"]),
                               (test, PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"])):
        for name, requirement in declared(requirements).items():
            assert name in lock, f"{name} is not in the lock file: run `make lock`"
            assert any(requirement.specifier.contains(v) for v in lock[name]), (name, lock[name])


def test_the_test_lock_installs_the_same_runtime_as_the_run_lock():
    run, test = locked("run.txt"), locked("test.txt")
    assert {name: test[name] for name in run} == run
