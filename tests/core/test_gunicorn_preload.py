"""The gunicorn master imports WeasyPrint before forking its workers, so that no request pays for that import."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import runpy, sys
settings = runpy.run_path("config/gunicorn.conf.py")
assert "weasyprint" not in sys.modules, "imported by the settings themselves"
settings["on_starting"](None)
assert "weasyprint" in sys.modules and "weasyprint.css" in sys.modules
"""


def test_master_imports_weasyprint_on_starting():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
