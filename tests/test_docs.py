"""The documentation derived from the code stays in step with it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_odd_parameter_table_matches_the_declarations():
    done = subprocess.run([sys.executable, str(ROOT / "docs" / "update_odd.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_odd_has_every_element_of_the_protocol():
    text = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8").lower()
    for element in ("purpose and patterns", "entities, state variables and scales",
                    "process overview and scheduling", "design concepts", "initialisation",
                    "input data", "submodels"):
        assert element in text, element
