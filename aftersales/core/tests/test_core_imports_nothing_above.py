"""10: ``core`` is the base every domain builds on — it must not depend upward. No module of
``aftersales.core`` (tests and migrations aside) imports a domain app at module level (the
test factories that did, ``core/testing.py``, live in ``aftersales.testing`` above the
domains). A function-level import for a late hook (``core.media`` serving a domain's files)
is allowed: it does not make ``core`` unimportable without the domain."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1]
BASE = ("aftersales.core", "aftersales.accounts")


def _top_level_imports(path: Path) -> list[str]:
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names]
    return found


def test_core_modules_import_no_domain_at_module_level() -> None:
    upward = [
        f"{path.relative_to(CORE)}: {module}"
        for path in sorted(CORE.rglob("*.py"))
        if not {"tests", "migrations"} & set(path.relative_to(CORE).parts)
        for module in _top_level_imports(path)
        if module.startswith("aftersales.") and not module.startswith(BASE)
    ]
    assert upward == []


def test_the_factories_live_above_the_domains() -> None:
    assert not (CORE / "testing.py").exists()
    assert "aftersales.customers" in " ".join(
        _top_level_imports(CORE.parent / "testing" / "__init__.py")
    )
