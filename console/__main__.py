"""python -m console [serve | create-supervisor | reset-password USERNAME]"""

import sys

from console.cli import main

sys.exit(main(sys.argv[1:]))
