"""The code base is lint-clean: ruff, as configured in pyproject.toml, finds nothing."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_check_passes():
    """The model core, the applications, tests, benchmarks and notebooks."""
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", str(ROOT)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_model_core_imports_only_its_libraries():
    """The core imports numpy, numba, pandas, Mesa, the standard library and itself."""
    import ast

    allowed = {"numpy", "numba", "pandas", "mesa", "trustnet"} | set(sys.stdlib_module_names)
    found = {}
    for path in (ROOT / "trustnet" / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0
                     else [])
            for name in names:
                found.setdefault(name.split(".")[0], path.name)
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(
                    "trustnet.") and not node.module.startswith("trustnet.core"):
                found[node.module] = path.name
    assert {root: where for root, where in found.items() if root not in allowed} == {}
