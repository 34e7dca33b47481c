"""Write the parameter table, generated from the declarations, into docs/ODD.md.

    python docs/update_odd.py [--check]

The table sits between the markers below; everything else in the ODD is prose. ``--check``
exits with 1 when the document's table differs from the declarations (the test suite runs it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from trustnet.core.parameters import markdown_table

ODD = Path(__file__).with_name("ODD.md")
START, END = "<!-- parameter-table:start -->", "<!-- parameter-table:end -->"


def with_table(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{markdown_table()}{END}{tail}"


def main() -> int:
    text = ODD.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"{ODD}: the markers {START} and {END} are missing", file=sys.stderr)
        return 2
    updated = with_table(text)
    if "--check" in sys.argv[1:]:
        if updated != text:
            print(f"{ODD}: the parameter table is out of date; run python docs/update_odd.py",
                  file=sys.stderr)
            return 1
        return 0
    ODD.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
