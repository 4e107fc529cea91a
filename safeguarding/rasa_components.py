"""The safeguarding screen inside Rasa.

- `SafeguardingScreen` (NLU): reads the spans the rules matched in spaCy's Doc and adds the
  message's safeguarding facts as entities, so they are kept with the message in the tracker.
- `InputGuard` (NLU, last): gives messages nobody can answer as written (not English, nothing
  but symbols) an intent of their own, unless the screen found a concern in them.
- `SafeguardingPolicy` (dialogue): after every user message, at any point (first message,
  mid-topic, inside a form), adds up the facts of the whole conversation and, when there is a
  concern not yet escalated, predicts `action_escalate` ahead of every other policy.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from dialogue.conversation_turns import conversation_turns
from safeguarding.assessment import assess
from safeguarding.facts import read_message
from safeguarding.language import WORD, looks_english
from safeguarding.nlp import SPANS_KEY, pipeline

ESCALATE_ACTION = "action_escalate"
ESCALATED_SLOT = "handoff_reasons"
# Requests that still start after an escalation answered their message: intent -> the actions
# that start it (the rule that normally starts it expects the message to come straight first).
STARTS_AFTER_ESCALATION = {"start_threshold_check": ["action_threshold_start", "threshold_check_form"]}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class SafeguardingScreen(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafeguardingScreen:
        return cls()

    @classmethod
    def load(cls, *args: Any, **kwargs: Any) -> SafeguardingScreen:
        # When Rasa loads the model to serve it, not in the first person's reply: the concern
        # model and its word vectors take about 3 s to load, and the first reply after every
        # start was the safety reply for being too slow (found by the load test).
        read_message("hello", pipeline()("hello"))
        return super().load(*args, **kwargs)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is None or SPANS_KEY not in doc.spans:
                doc = pipeline()(text.lower())  # a pipeline without our rules: screen anyway
            facts = read_message(text, doc)
            entities = list(message.get(ENTITIES, [])) + facts.as_entities()
            message.set(ENTITIES, entities, add_to_output=True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InputGuard(GraphComponent):
    """Names messages that cannot be answered as written, so the reply can say so kindly."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> InputGuard:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = (message.get(TEXT) or "").strip()
            if not text or text.startswith("/"):
                continue  # empty messages and button payloads are handled by the channel
            if any(e.get("entity") == "concern" for e in message.get(ENTITIES, [])):
                continue  # a concern always goes to the safeguarding path, whatever the words
            if not WORD.search(text):
                name = "unclear"  # emoji or symbols only
            elif not looks_english(text):
                name = "not_english"
            else:
                continue
            intent = {"name": name, "confidence": 1.0}
            message.set(INTENT, intent, add_to_output=True)
            ranking = [intent] + [
                r for r in message.get(INTENT_RANKING_KEY, []) or [] if r.get("name") != name
            ]
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class SafeguardingPolicy(Policy):
    """Escalates a new concern from any user message, ahead of rules and forms."""

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 10}

    def train(self, training_trackers: list[Any], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource  # rules and reasoning live in code and pattern files, not weights

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        done = _actions_since_user_message(tracker)
        if done == []:  # a user message no action has answered yet
            escalated = set(tracker.get_slot(ESCALATED_SLOT) or [])
            if assess(conversation_turns(tracker)) - escalated:  # each message's facts read once
                # wins even against a form's happy path: "no user" predictions compete only
                # with each other, and this one has the highest priority
                return self._prediction(self._confident(ESCALATE_ACTION, domain), is_no_user_prediction=True)
        if done and done[0] == ESCALATE_ACTION:
            intent = (tracker.latest_message.intent or {}).get("name") if tracker.latest_message else None
            follow_on = [ESCALATE_ACTION] + STARTS_AFTER_ESCALATION.get(intent, [])
            if done == follow_on[: len(done)] and len(done) < len(follow_on):
                # "an adult has a pupil's images, do we refer?" gets the safety advice, then the
                # check it asked for
                return self._prediction(self._confident(follow_on[len(done)], domain))
            if done == [ESCALATE_ACTION] and not tracker.active_loop_name:
                # the escalation's reply answered the message; wait for the next one
                return self._prediction(self._confident("action_listen", domain))
        return self._prediction(self._default_predictions(domain))

    @staticmethod
    def _confident(action: str, domain: Domain) -> list[float]:
        probabilities = [0.0] * domain.num_actions
        probabilities[domain.index_for_action(action)] = 1.0
        return probabilities


def _actions_since_user_message(tracker: DialogueStateTracker) -> list[str] | None:
    """The actions run since the latest user message (None if there is none). Rasa's own slot
    extraction (action_extract_slots) runs first after every message and does not count."""
    names: list[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return list(reversed(names))
        if isinstance(event, ActionExecuted) and event.action_name not in (
            "action_listen",
            "action_extract_slots",
        ):
            names.append(event.action_name)
    return None
