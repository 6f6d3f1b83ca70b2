"""9#22: the project accepts every Python the locked dependencies install on (3.11–3.13).

Reads pyproject.toml and uv.lock: each supported minor version must be inside
``requires-python``, and every locked package must install on it — from a source
distribution, a pure-Python wheel, an abi3 wheel of an older CPython, or a wheel built for
that very version. A lock that drops a version's wheels fails here before a user finds it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[3]
SUPPORTED = ("3.11", "3.12", "3.13")


def _wheel_fits(filename: str, minor: int) -> bool:
    python_tag, abi_tag = filename.removesuffix(".whl").split("-")[-3:-1]
    for tag in python_tag.split("."):
        if tag in ("py3", f"py3{minor}"):
            return True
        if tag == f"cp3{minor}":
            return True
        if abi_tag == "abi3" and tag.startswith("cp3") and int(tag[3:]) <= minor:
            return True
    return False


def _installable(package: dict, minor: int) -> bool:
    if "sdist" in package or package.get("source", {}).get("virtual") or "wheels" not in package:
        return True
    return any(_wheel_fits(w["url"].rsplit("/", 1)[-1], minor) for w in package["wheels"])


def test_requires_python_admits_every_supported_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    spec = SpecifierSet(project["requires-python"])
    assert [v for v in SUPPORTED if v not in spec] == []
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    assert SpecifierSet(lock["requires-python"]) == spec


def test_every_locked_package_installs_on_every_supported_version() -> None:
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    missing = [
        f"{p['name']} {p.get('version')} on {v}"
        for p in lock["package"]
        for v in SUPPORTED
        if not _installable(p, int(v.split(".")[1]))
    ]
    assert missing == []


def test_wheel_tag_reading() -> None:
    assert _wheel_fits("pyvrp-0.14.1-cp313-cp313-manylinux_2_28_x86_64.whl", 13)
    assert not _wheel_fits("pyvrp-0.14.1-cp311-cp311-manylinux_2_28_x86_64.whl", 13)
    assert _wheel_fits("rjieba-0.2-cp38-abi3-manylinux_2_17_x86_64.whl", 12)
    assert _wheel_fits("six-1.16.0-py2.py3-none-any.whl", 11)
