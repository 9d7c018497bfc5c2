"""``python -m jixiao``: the same command line as ``jixiao``."""

import sys

from jixiao.cli import main

sys.exit(main())
