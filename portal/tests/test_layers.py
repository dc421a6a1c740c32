"""The layers of .importlinter hold, and the check would catch a broken one."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")
APPS = ["config", "demo", "bench", "office", "volunteers", "wishes", "council", "grid", "audit", "notices", "portal"]


def lint(cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([str(LINT), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def copy_of_the_code(tmp_path):
    """The apps' Python files and .importlinter, in a folder of their own."""
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def test_the_layers_are_kept():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    "module, line",
    [
        ("portal/probe.py", "import grid.models"),  # the foundation reaching up
        ("grid/probe.py", "def f():\n    from volunteers.models import SpecialGroup\n"),  # inside a function too
        ("wishes/probe.py", "from council import services"),  # siblings stay independent
    ],
)
def test_an_import_upwards_breaks_the_contract(copy_of_the_code, module, line):
    (copy_of_the_code / module).write_text(line + "\n")
    result = lint(copy_of_the_code)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and module.replace("/", ".").removesuffix(".py") in result.stdout
