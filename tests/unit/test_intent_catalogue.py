"""One list of intents: the domain, the rules, the NLU data, docs/intents.md and the advice
content agree, so an intent added in one place and forgotten in another fails here."""

import re

import yaml

from actions.advice import INPUT_PROBLEMS
from actions.content import library
from tests.servers import ROOT

# answered by the guided check's own actions, not from the advice content
CHECK_INTENTS = {"start_threshold_check", "stop_check", "check_choice"}
# answered by code paths of action_advise and the screen, not by a topic answer of their own
ANSWERED_IN_CODE = {
    "identify",  # the answer they were waiting for, or what the service does for them
    "request_human",  # escalated (user_request); a declined person gets the fallback
    "self_harm",  # escalated by the screen, or asked to say more (actions/follow_up.py)
    "in_danger",  # likewise
    "affirm",  # a bare "yes" with nothing asked: the fallback's topic buttons
    "deny",
    "dont_know",
    "more_advice",  # the escalation's other reasons (actions/escalation.py)
}


def domain_intents() -> set[str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    return {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]}


def nlu_intents() -> set[str]:
    found = set()
    for path in (ROOT / "data").glob("**/*.yml"):
        for item in (yaml.safe_load(path.read_text()) or {}).get("nlu") or []:
            if "intent" in item:
                found.add(item["intent"])
    return found


def test_the_domain_the_docs_and_the_nlu_data_name_the_same_intents():
    documented = set(re.findall(r"^\| `(\w+)` \|", (ROOT / "docs" / "intents.md").read_text(), re.M))
    assert documented == domain_intents()
    assert nlu_intents() <= domain_intents()


def test_every_intent_has_a_rule():
    rules = yaml.safe_load((ROOT / "data" / "rules.yml").read_text())["rules"]
    ruled = {step["intent"] for rule in rules for step in rule["steps"] if "intent" in step}
    assert domain_intents() <= ruled


def test_every_intent_people_type_has_an_answer_in_the_content():
    lib = library()
    unanswered = {
        intent
        for intent in domain_intents() - CHECK_INTENTS - ANSWERED_IN_CODE
        if lib.for_intent(intent) is None and intent not in INPUT_PROBLEMS
    }
    assert unanswered == set()
    assert all(answer in lib.answers for answer in INPUT_PROBLEMS.values())
