"""Keeps the neural-network libraries out of a process that reads text with spaCy but never
runs one of Rasa's models: the action server (actions/__main__.py) and the staff console
(console/__main__.py).

Both load spaCy: the personal-data tagger (privacy/tagger.py), which they need to know a case's
messages by their redacted text, and, in the action server, the screen's facts. spaCy's thinc
imports TensorFlow, JAX and PyTorch whenever they are installed (Rasa needs TensorFlow), which
cost the console about 400 MB and a few seconds for nothing: the tagger is a thinc model that runs
on numpy. Marking them missing before anything imports spaCy makes that import fail quietly, as
on a machine without them (thinc then simply has no TensorFlow support). Never call this in
Rasa's own process.
"""

import sys

NEVER_NEEDED = ("tensorflow", "jax", "torch")


def keep_out_ml_libraries() -> None:
    for name in NEVER_NEEDED:
        sys.modules.setdefault(name, None)  # `import tensorflow` now raises ImportError
