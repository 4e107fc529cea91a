"""python -m console [serve | create-supervisor | reset-password USERNAME]

The console loads the personal-data tagger (spaCy) to know a case's messages by their redacted
text; TensorFlow, which spaCy's thinc would bring in with it, is kept out first
(privacy/without_ml.py): about 400 MB less.
"""

import sys

from privacy.without_ml import keep_out_ml_libraries


def main(argv: list[str]) -> int:
    keep_out_ml_libraries()
    from console.cli import main as console_main

    return console_main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
