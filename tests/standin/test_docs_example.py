"""The example of docs/stand-in.md (docs/examples/test_telecmi_integration.py) passes as
an integrator would run it: copied into a project of its own, under pytest-xdist."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "test_telecmi_integration.py"


def test_the_documented_example_passes_under_xdist(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    # Run as someone else's suite: none of this run's pytest or contactd settings.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "CONTACTD_"))}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider", "-q", EXAMPLE.name],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "6 passed" in run.stdout, run.stdout


def test_the_page_shows_the_example_as_it_is() -> None:
    page = (EXAMPLE.parents[1] / "stand-in.md").read_text()
    assert EXAMPLE.read_text().strip() in page
