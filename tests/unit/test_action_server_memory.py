"""The action server loads the actions without TensorFlow, JAX or PyTorch (actions/__main__.py):
the issue's goal is under 200 MB resident, and TensorFlow alone brought it to about 490 MB."""

import json
import subprocess
import sys

LOAD_AS_THE_SERVER_DOES = """
import json, sys
from actions.__main__ import keep_out_unused_libraries
keep_out_unused_libraries()
from rasa_sdk.executor import ActionExecutor
executor = ActionExecutor()
executor.register_package("actions")
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS:")) // 1024
loaded = sorted(n for n in ("tensorflow", "jax", "torch", "keras") if sys.modules.get(n) is not None)
print(json.dumps({"actions": sorted(executor.actions), "loaded": loaded, "rss_mb": rss}))
"""


def test_the_action_server_loads_every_action_without_the_ml_libraries():
    out = subprocess.run(
        [sys.executable, "-c", LOAD_AS_THE_SERVER_DOES],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    report = json.loads(out.strip().splitlines()[-1])
    assert {"action_advise", "action_escalate", "validate_threshold_check_form"} <= set(report["actions"])
    assert report["loaded"] == []
    assert report["rss_mb"] < 200, report
