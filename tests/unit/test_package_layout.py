"""The packages' boundaries (README, "Where things are"): `actions/` holds only the rasa-sdk
adapters, nothing else imports them, and the domain packages they adapt know nothing of Rasa.

Read from the source (every import statement, including those inside functions), not by
importing it, so a lazy import cannot hide."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ACTIONS = "actions"
# Who may import the actions: the action server's own plugin (rasa_sdk_plugins/) and the tests.
MAY_IMPORT_ACTIONS = {ACTIONS, "rasa_sdk_plugins", "tests"}
# Plain Python the actions adapt: no Rasa in them.
DOMAIN_PACKAGES = ("advice", "school_check")
RASA = ("rasa", "rasa_sdk")
NOT_SOURCE = {"node_modules", "__pycache__"}


def top_level_packages() -> list[str]:
    return sorted(
        d.name
        for d in ROOT.iterdir()
        if d.is_dir() and not d.name.startswith(".") and (d / "__init__.py").exists()
    )


def sources(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if not NOT_SOURCE & set(p.parts))


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def imports_from(path: Path, package: str) -> set[str]:
    return {m for m in imported_modules(path) if m == package or m.startswith(package + ".")}


def test_the_check_reads_imports_inside_functions_too(tmp_path):
    source = tmp_path / "lazy.py"
    source.write_text("def f():\n    from actions.advice import ActionAdvise\n    import rasa_sdk.events\n")
    assert imports_from(source, ACTIONS) == {"actions.advice"}
    assert imports_from(source, "rasa_sdk") == {"rasa_sdk.events"}


def test_the_packages_named_here_exist():
    packages = top_level_packages()
    for name in (
        *MAY_IMPORT_ACTIONS - {"tests"},
        *DOMAIN_PACKAGES,
        "console",
        "channels",
        "handoff",
        "widget",
    ):
        assert name in packages


@pytest.mark.parametrize("package", [p for p in top_level_packages() if p not in MAY_IMPORT_ACTIONS])
def test_nothing_outside_the_action_server_imports_the_actions(package):
    found = {
        str(path.relative_to(ROOT)): sorted(imports_from(path, ACTIONS))
        for path in sources(package)
        if imports_from(path, ACTIONS)
    }
    assert not found, f"import these from the domain packages ({', '.join(DOMAIN_PACKAGES)}), not actions/"


@pytest.mark.parametrize("package", DOMAIN_PACKAGES)
def test_the_domain_packages_know_nothing_of_rasa(package):
    found = {
        str(path.relative_to(ROOT)): sorted(set().union(*(imports_from(path, r) for r in RASA)))
        for path in sources(package)
    }
    assert not {k: v for k, v in found.items() if v}


def test_the_action_package_holds_only_rasa_sdk_adapters():
    modules = sources(ACTIONS)
    assert all(p.parent == ROOT / ACTIONS for p in modules), "actions/ has no sub-packages"
    not_adapters = [p.name for p in modules if p.name != "__init__.py" and not imports_from(p, "rasa_sdk")]
    assert not not_adapters, "a module in actions/ that does not use rasa-sdk belongs in a domain package"
