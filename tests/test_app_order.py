"""The apps stand in a strict order and each imports only from the apps below it (docs/architecture.md).

Every module of the product is parsed, imports inside functions included, so that a definition placed in the
wrong room shows up here instead of as an import cycle later. A new app must be given its place in ORDER.
Tests are not parsed: a test may use fixtures and helpers from anywhere.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "welfare"

# Lowest first. `portal` is the public pages and the personal area that combines domains; `api` sits on top.
ORDER = [
    "lib", "operations", "audit", "territory", "accounts", "spid", "catalogue", "ledger", "vouchers", "employers",
    "network", "care", "delivery", "assistance", "finder", "family_assistants", "outreach", "impact", "portal", "api",
]  # fmt: skip


def product_modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "tests" in relative.parts:
            continue
        yield relative.parts[0], path


def welfare_imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "welfare" and len(parts) > 1:
                yield node.lineno, parts[1]


def test_every_app_has_its_place_in_the_order():
    apps = {path.name for path in ROOT.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    assert apps == set(ORDER)


def test_no_import_runs_from_a_lower_app_to_a_higher_one():
    rank = {app: position for position, app in enumerate(ORDER)}
    upward = [
        f"{path.relative_to(ROOT.parent)}:{line}: {app} imports {other}"
        for app, path in product_modules()
        for line, other in welfare_imports(path)
        if other in rank and rank[other] > rank[app]
    ]
    assert not upward, "\n".join(upward)


def test_the_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from welfare.api.v1 import api\n")
    assert list(welfare_imports(module)) == [(2, "api")]
