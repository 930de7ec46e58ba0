"""The house rules of STYLE.md, checked on the code itself: dependencies point one way, SQL lives in one place, no
module does work when it is imported, and every component id of a page is declared once, scoped to it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Layers of the read side, lowest first: a module may import its own layer and those below, never above.
LAYERS = {"mission": 0, "ui": 1, "pages": 2, "app": 3}
SQL_HOMES = {"mission/db.py", "mission/queries.py"}  # and etl/, the write side
DASH = {"dash", "dash_bootstrap_components", "dash_ag_grid", "flask", "werkzeug"}
# Calls that read the warehouse or files; none may run while a module of the read side is imported.
READING = {"query", "sql", "execute", "connect", "read_text", "read_bytes", "read_csv", "read_parquet",
           "read_excel", "open"}
# The id prefix of each page (the scenario page's ids are singular).
PAGE_PREFIX = {"scenarios": "scenario"}


def modules(*folders: str) -> list[Path]:
    found = [p for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))]
    return found + ([ROOT / "app.py"] if "app" in folders else [])


def name_of(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def imports(path: Path) -> list[tuple[str, int]]:
    """Absolute imported module names with their lines (at the top or inside functions)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, node.lineno))
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def layer(module: str) -> int | None:
    return LAYERS.get(module.split(".")[0])


@pytest.mark.parametrize("path", modules("mission", "ui", "pages", "app"), ids=name_of)
def test_the_read_side_imports_only_its_own_layer_and_those_below(path):
    own = layer(name_of(path).removesuffix(".py").replace("/", "."))
    upward = [f"line {line}: {module}" for module, line in imports(path)
              if (theirs := layer(module)) is not None and theirs > own]
    assert not upward, f"{name_of(path)} imports a layer above its own (pages -> ui -> mission): {upward}"


@pytest.mark.parametrize("path", modules("mission"), ids=name_of)
def test_the_domain_imports_no_dash(path):
    dash = [f"line {line}: {module}" for module, line in imports(path) if module.split(".")[0] in DASH]
    assert not dash, f"{name_of(path)} imports Dash or Flask: {dash}"


@pytest.mark.parametrize("path", modules("etl"), ids=name_of)
def test_the_etl_never_imports_the_read_side(path):
    read_side = [f"line {line}: {module}" for module, line in imports(path) if layer(module) is not None]
    assert not read_side, f"{name_of(path)} imports the read side: {read_side}"


def sql_strings(path: Path) -> list[int]:
    """Lines of string constants that read like SQL."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            words = node.value.split()
            if ("SELECT" in words and "FROM" in words) or words[:1] in (["INSERT"], ["CREATE"], ["COPY"]):
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("path", modules("mission", "ui", "pages", "app"), ids=name_of)
def test_sql_lives_only_in_db_and_queries(path):
    if name_of(path) in SQL_HOMES:
        return
    assert not sql_strings(path), f"{name_of(path)} has SQL at lines {sql_strings(path)}: ask mission.queries"
    duckdb = [line for module, line in imports(path) if module.split(".")[0] == "duckdb"]
    assert not duckdb, f"{name_of(path)} imports duckdb at lines {duckdb}: only mission/db.py runs SQL"


def calls_at_import(tree: ast.Module) -> list[tuple[str, str, int]]:
    """Calls that run when the module is imported (module body and class bodies, not inside functions), as
    (the name it is called on or "", the function's name, line)."""
    found = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for decorator in getattr(node, "decorator_list", []):
                visit(decorator)
            return
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                owner = func.value.id if isinstance(func.value, ast.Name) else ""
                found.append((owner, func.attr, node.lineno))
            elif isinstance(func, ast.Name):
                found.append(("", func.id, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def warehouse_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Names bound to the modules that run SQL (mission.queries, mission.db), and functions imported from them."""
    modules_, functions = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "mission":
            modules_ |= {alias.asname or alias.name for alias in node.names if alias.name in {"queries", "db"}}
        elif isinstance(node, ast.ImportFrom) and node.module in {"mission.queries", "mission.db"}:
            functions |= {alias.asname or alias.name for alias in node.names}
    return modules_, functions


@pytest.mark.parametrize("path", modules("mission", "ui", "pages"), ids=name_of)
def test_no_module_reads_the_warehouse_or_a_file_when_it_is_imported(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    sql_modules, sql_functions = warehouse_names(tree)
    work = [f"line {line}: {owner + '.' if owner else ''}{name}()" for owner, name, line in calls_at_import(tree)
            if name in READING or owner in sql_modules or (not owner and name in sql_functions)]
    assert not work, f"{name_of(path)} does work when imported: {work}"


ID_ARGUMENTS = {"id", "htmlFor", "summary_id"}
CALLBACK_ENDS = {"Output", "Input", "State"}


def literal_ids(path: Path) -> list[tuple[str, int]]:
    """Every id written as a literal or an f-string (its fixed start): `id=`, `htmlFor=`, `summary_id=`, the first
    argument of Output/Input/State, and the `type` of dict ids."""

    def literal(value: ast.expr) -> str | None:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return value.value
        if isinstance(value, ast.JoinedStr) and value.values and isinstance(value.values[0], ast.Constant):
            return value.values[0].value
        return None

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        values = []
        if isinstance(node, ast.keyword) and node.arg in ID_ARGUMENTS:
            values = [node.value]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in CALLBACK_ENDS and node.args:
            values = [node.args[0]]
        for value in values:
            if isinstance(value, ast.Dict):  # a pattern-matching id: its type
                value = next((item for key, item in zip(value.keys, value.values, strict=True)
                              if isinstance(key, ast.Constant) and key.value == "type"), value)
            if (text := literal(value)) is not None:
                found.append((text, value.lineno))
    return sorted(found, key=lambda f: f[1])


def page_id_classes(path: Path) -> list[tuple[str, str | None]]:
    """The PageIds subclasses of a module: (class name, its `page=`)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef) and any(getattr(b, "id", None) == "PageIds" for b in node.bases):
            page = [k.value.value for k in node.keywords if k.arg == "page" and isinstance(k.value, ast.Constant)]
            found.append((node.name, page[0] if page else None))
    return found


PAGES = [p for p in modules("pages") if p.name not in {"__init__.py", "not_found_404.py", "sources.py"}]


@pytest.mark.parametrize("path", PAGES, ids=name_of)
def test_every_component_id_of_a_page_comes_from_its_own_ids(path):
    """Ids are declared once per page (ui.ids.PageIds, scoped to the page) and never written as strings."""
    prefix = PAGE_PREFIX.get(path.stem, path.stem)
    assert page_id_classes(path) == [("ID", prefix)], f"{name_of(path)} must declare `class ID(PageIds, page=" \
                                                       f"{prefix!r})`"
    written = [f"line {line}: {value!r}" for value, line in literal_ids(path)]
    assert not written, f"{name_of(path)} writes ids as strings instead of ID.<name>: {written}"


def test_the_rules_catch_what_they_are_about(tmp_path):
    """The checks themselves can fail: each finds a planted violation."""
    bad = tmp_path / "bad.py"
    bad.write_text('import duckdb\nfrom pages import home\nfrom mission import queries\nROWS = queries.cities()\n'
                   'SQL = "SELECT name FROM city"\nx = dict(id="self-name")\ny = Input(f"self-{step}", "value")\n'
                   'z = Output({"type": "self-slider", "index": 1}, "value")\nclass ID(PageIds, page="home"):\n'
                   '    name: str\n', encoding="utf-8")
    assert ("pages.home", 2) in imports(bad)
    assert sql_strings(bad) == [5]
    assert ("queries", "cities", 4) in calls_at_import(ast.parse(bad.read_text()))
    assert warehouse_names(ast.parse(bad.read_text())) == ({"queries"}, set())
    assert literal_ids(bad) == [("self-name", 6), ("self-", 7), ("self-slider", 8)]
    assert page_id_classes(bad) == [("ID", "home")]


def test_the_vocabulary_registry_is_a_leaf_both_sides_can_import():
    imported = {module.split(".")[0] for module, _ in imports(ROOT / "vocab.py")}
    assert imported <= {"__future__", "dataclasses", "i18n"}, imported
    # i18n (the reader's language) is a leaf too: the standard library and Babel.
    project = {p.stem for p in ROOT.glob("*.py")} | {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    assert not {module.split(".")[0] for module, _ in imports(ROOT / "i18n.py")} & project
