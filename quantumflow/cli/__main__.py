"""``python -m quantumflow.cli``: the same as the ``quantumflow`` console script."""

import sys

from .main import main

sys.exit(main())
