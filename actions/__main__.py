"""Starts the action server: `python -m actions --port 5055` (deploy/run_local.sh, tests/servers.py).

It is rasa-sdk's own server (`python -m rasa_sdk --actions actions`), started after keeping out
the machine-learning libraries the actions never use (privacy/without_ml.py): spaCy, which the
screen's facts (safeguarding/facts.py) and the personal-data tagger read with, would otherwise
bring in TensorFlow, JAX and PyTorch, 340 MB of the action server's memory for nothing. Without
them it holds about 150 MB.
"""

import sys

from privacy.without_ml import keep_out_ml_libraries


def main(argv: list[str]) -> None:
    keep_out_ml_libraries()
    from rasa_sdk.__main__ import main as rasa_sdk_main

    sys.argv = [sys.argv[0], "--actions", "actions", *argv]
    rasa_sdk_main()


if __name__ == "__main__":
    main(sys.argv[1:])
