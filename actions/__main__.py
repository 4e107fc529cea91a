"""Starts the action server: `python -m actions --port 5055` (deploy/run_local.sh, tests/servers.py).

It is rasa-sdk's own server (`python -m rasa_sdk --actions actions`), started after keeping out
the machine-learning libraries the actions never use. The actions read the screen's facts from
the entities Rasa sends (safeguarding/facts.py), which imports spaCy, and spaCy's thinc imports
TensorFlow, JAX and PyTorch when they are installed: 340 MB of the action server's memory for
nothing. Marking them missing makes that import fail quietly, as on a machine without them
(thinc then simply has no TensorFlow support), so the action server holds about 150 MB.
"""

import sys

NEVER_NEEDED = ("tensorflow", "jax", "torch")


def keep_out_unused_libraries() -> None:
    for name in NEVER_NEEDED:
        sys.modules.setdefault(name, None)  # `import tensorflow` now raises ImportError


def main(argv: list[str]) -> None:
    keep_out_unused_libraries()
    from rasa_sdk.__main__ import main as rasa_sdk_main

    sys.argv = [sys.argv[0], "--actions", "actions", *argv]
    rasa_sdk_main()


if __name__ == "__main__":
    main(sys.argv[1:])
