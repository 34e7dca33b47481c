import sys

from trustnet.validation.cli import main

sys.exit(main())
