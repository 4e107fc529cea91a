"""The action server and the staff console read text with spaCy without TensorFlow, JAX or
PyTorch (privacy/without_ml.py): spaCy's thinc imports them when installed, which brought the
action server to about 490 MB (the issue's goal is under 200 MB) and the console to about 520 MB."""

import json
import os
import subprocess
import sys

# each script ends by printing what it loaded and the memory it holds
REPORT = """
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS:")) // 1024
loaded = sorted(n for n in ("tensorflow", "jax", "torch", "keras") if sys.modules.get(n) is not None)
print(json.dumps({**found, "loaded": loaded, "rss_mb": rss}))
"""
LOAD_AS_THE_ACTION_SERVER_DOES = """
import json, sys
from privacy.without_ml import keep_out_ml_libraries
keep_out_ml_libraries()
from rasa_sdk.executor import ActionExecutor
executor = ActionExecutor()
executor.register_package("actions")
found = {"actions": sorted(executor.actions)}
"""
# What `python -m console` does before it serves (its entry point, asked only for its help),
# then what the console does once it has started: the redaction warm-up, which loads the tagger.
START_AS_THE_CONSOLE_DOES = """
import json, sys
from console.__main__ import main
try:
    main(["--help"])
except SystemExit:
    pass
from privacy.redaction import warm_up
from privacy.tagger import tagger
warm_up()
found = {"taggers_loaded": tagger.cache_info().currsize}
"""


def run(script: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", script + REPORT],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        env={**os.environ, "REDACTION_TAGGER": "on"},
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_the_action_server_loads_every_action_without_the_ml_libraries():
    report = run(LOAD_AS_THE_ACTION_SERVER_DOES)
    assert {"action_advise", "action_escalate", "validate_threshold_check_form"} <= set(report["actions"])
    assert report["loaded"] == []
    assert report["rss_mb"] < 200, report


def test_the_console_loads_the_tagger_without_the_ml_libraries():
    report = run(START_AS_THE_CONSOLE_DOES)
    assert report["taggers_loaded"] == 1  # the tagger ran: not a console with it turned off
    assert report["loaded"] == []
    assert report["rss_mb"] < 250, report
