"""Write the parameter and outcome tables, generated from the declarations, into docs/ODD.md.

    python docs/update_odd.py [--check]

Each table sits between its markers below; everything else in the ODD is prose. ``--check``
exits with 1 when a table differs from the declarations (the test suite runs it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from trustnet.core import parameters, reporters

ODD = Path(__file__).with_name("ODD.md")
TABLES = {"parameter-table": parameters.markdown_table, "outcome-table": reporters.markdown_table}


def with_table(text: str, name: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{TABLES[name]()}{end}{tail}"


def main() -> int:
    text = ODD.read_text(encoding="utf-8")
    updated = text
    for name in TABLES:
        if f"<!-- {name}:start -->" not in text or f"<!-- {name}:end -->" not in text:
            print(f"{ODD}: the markers of the {name} are missing", file=sys.stderr)
            return 2
        updated = with_table(updated, name)
    if "--check" in sys.argv[1:]:
        if updated != text:
            print(f"{ODD}: a generated table is out of date; run python docs/update_odd.py",
                  file=sys.stderr)
            return 1
        return 0
    ODD.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
