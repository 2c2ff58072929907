"""`python -m pipeline build` is `jianding build`."""

import sys

from .cli import main

sys.exit(main())
