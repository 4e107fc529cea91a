"""Rasa's RulePolicy, reading only the turns its rules can see.

RulePolicy matches its rules against the conversation's dialogue states, newest first, and a
rule looks at no more states than it has steps. Rasa's RulePolicy still builds the states of the
whole conversation on every prediction (two or three a turn): profiled at 150 turns, over a
quarter of the Rasa server's time, growing with every turn. `BoundedRulePolicy` builds them for
the latest turns only (dialogue/recent_turns.py), so it predicts exactly what RulePolicy predicts
at a cost that does not depend on the conversation's length. Training is RulePolicy's own.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.trackers import DialogueStateTracker

from dialogue.recent_turns import RECENT_STATES_SKIPPED, recent_tracker


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class BoundedRulePolicy(RulePolicy):
    def _prediction_states(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        use_text_for_last_user_input: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[State]:
        # conversations only: the training trackers (rules, stories) are Rasa's own business
        short, longest = None, self._longest_rule()
        if longest and type(tracker) is DialogueStateTracker and not tracker.is_rule_tracker:
            short = recent_tracker(tracker, longest)
        states = super()._prediction_states(
            short or tracker, domain, use_text_for_last_user_input, rule_only_data=rule_only_data
        )
        return states[RECENT_STATES_SKIPPED:] if short is not None else states

    def _longest_rule(self) -> int:
        """The most states any rule (or loop unhappy-path rule) looks at (0 before training)."""
        if not getattr(self, "_longest", 0):
            keys = list(self.lookup.get(RULES, {})) + list(self.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {}))
            self._longest = max((len(self._rule_key_to_state(key)) for key in keys), default=0)
        return self._longest
