"""``python -m trustnet`` is the ``trustnet`` command."""

from trustnet.cli import main

raise SystemExit(main())
