"""Measured fixes for Rasa 3.6 hot spots, applied when the channels load (rasa run). Each keeps
Rasa's behaviour and is tested; no Rasa file is changed.

- the action server's responses are validated with a validator built once (below);
- the action server is sent the recent events, not the whole conversation, unless the action
  reads it all (channels/action_payload.py);
- a tracker's copy is made from its state, not by replaying its events, and its applied events
  are continued from where they last stopped (channels/tracker_copy.py, applied_events.py).
(The tracker store and the rule policy are the project's own classes: channels/tracker_store.py,
dialogue/rule_policy.py.)

RemoteAction._validate_action_result calls jsonschema.validate(), which re-checks the constant
response schema against the JSON Schema metaschema on every action call: profiled at over half
of the Rasa process's CPU per turn. The same validation, with the validator built once, keeps
every check on every action-server response and drops that cost.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa.core.actions.action import RemoteAction


@lru_cache(maxsize=1)
def _response_validator():
    from jsonschema.validators import validator_for

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, not per call
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    from jsonschema import ValidationError, exceptions

    error = exceptions.best_match(_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your "
        "response from the Action endpoint is valid."
    )
    raise error if isinstance(error, ValidationError) else ValidationError(error.message)


def apply() -> None:
    from channels import action_payload, applied_events, tracker_copy

    RemoteAction._validate_action_result = _validate_action_result
    action_payload.apply()
    applied_events.apply()
    tracker_copy.apply()
