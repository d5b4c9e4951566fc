"""`python -m spine_stretch.cli`: the `spine-stretch` command without its installed script."""

import sys

from . import main

sys.exit(main())
