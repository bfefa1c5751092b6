"""The built wheel carries the default model and the console script."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from .conftest import REPOSITORY


def test_wheel_contains_the_model_and_the_console_script(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(REPOSITORY)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("newsclass-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(name for name in names if name.endswith(".dist-info/entry_points.txt"))
        scripts = archive.read(entry_points).decode("utf-8")
    assert "newsclass/models/default/model.zip" in names
    assert "newsclass/models/default/MODEL_CARD.md" in names
    assert "newsclass = newsclass.cli.main:console_main" in scripts
    assert not [name for name in names if name.startswith(("tests/", "training/", "examples/"))]
