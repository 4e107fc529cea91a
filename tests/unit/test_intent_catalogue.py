"""One list of intents: the domain, the rules, the NLU data, docs/intents.md and the advice
content agree, so an intent added in one place and forgotten in another fails here. The
training data is split by feature (data/<feature>/nlu.yml and rules.yml), and domain.yml names
each intent's feature in its comments: an intent's examples live in its feature's folder."""

import re

import yaml

from actions.advice import INPUT_PROBLEMS
from advice.content import library
from tests.servers import ROOT

DATA = ROOT / "data"
# answered by the guided check's own actions, not from the advice content
CHECK_INTENTS = {"start_threshold_check", "stop_check", "check_choice"}
# answered by code paths of action_advise and the screen, not by a topic answer of their own
ANSWERED_IN_CODE = {
    "identify",  # the answer they were waiting for, or what the service does for them
    "request_human",  # escalated (user_request); a declined person gets the fallback
    "self_harm",  # escalated by the screen, or asked to say more (advice/follow_up.py)
    "in_danger",  # likewise
    "affirm",  # a bare "yes" with nothing asked: the fallback's topic buttons
    "deny",
    "dont_know",
    "more_advice",  # the escalation's other reasons (actions/escalation.py)
}
# the check's own rules answer these; action_advise answers stop_check outside the check
ONLY_THE_CHECK = {"start_threshold_check", "check_choice"}
FEATURE_HEADING = re.compile(r"^  # --- (\w+)")


def domain_intents() -> set[str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    return {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]}


def domain_features() -> dict[str, str]:
    """Each intent's feature, from the `# --- feature` comments above it in domain.yml."""
    features, feature, inside = {}, None, False
    for line in (ROOT / "domain.yml").read_text().splitlines():
        if not line.startswith(" "):
            inside = line.startswith("intents:")
            continue
        heading = FEATURE_HEADING.match(line)
        if inside and heading:
            feature = heading.group(1)
        elif inside and line.strip().startswith("- "):
            features[line.strip()[2:].split("#")[0].strip()] = feature
    return features


def nlu_files() -> dict[str, set[str]]:
    """The intents each feature's NLU file has examples for."""
    return {
        path.parent.name: {item["intent"] for item in yaml.safe_load(path.read_text())["nlu"]}
        for path in DATA.glob("*/nlu.yml")
    }


def rules() -> list[dict]:
    return [
        rule for path in DATA.glob("**/*.yml") for rule in yaml.safe_load(path.read_text()).get("rules") or []
    ]


def rule_intents(rule: dict) -> set[str]:
    """The intents a rule's steps answer, OR statements unfolded (not its conditions)."""
    found = set()
    for step in rule["steps"]:
        for option in step.get("or", [step]):
            if "intent" in option:
                found.add(option["intent"])
    return found


def test_the_training_data_is_one_nlu_file_per_feature_and_nothing_else():
    assert {p.relative_to(DATA).as_posix() for p in DATA.glob("**/*.yml")} == {
        "advice/nlu.yml",
        "advice/rules.yml",
        "safeguarding/nlu.yml",
        "school_check/nlu.yml",
        "school_check/rules.yml",
        "small_talk/nlu.yml",
    }


def test_the_domain_the_docs_and_the_nlu_data_name_the_same_intents():
    documented = set(re.findall(r"^\| `(\w+)` \|", (ROOT / "docs" / "intents.md").read_text(), re.M))
    assert documented == domain_intents()
    assert set().union(*nlu_files().values()) <= domain_intents()


def test_each_intent_is_under_its_features_heading_and_its_examples_in_that_features_folder():
    features = domain_features()
    assert set(features) == domain_intents()
    examples = nlu_files()
    for intent, feature in features.items():
        elsewhere = {f for f, intents in examples.items() if intent in intents and f != feature}
        if feature == "channel":  # set by the channel or the input guard: never classified
            assert not any(intent in intents for intents in examples.values()), intent
        elif intent in {"affirm", "deny", "dont_know"}:
            # short answers: small talk, and the check's questions have their own wording
            assert feature == "small_talk" and elsewhere <= {"school_check"}, intent
        else:
            assert not elsewhere, (intent, elsewhere)


def test_every_intent_has_a_rule_and_one_rule_sends_all_but_the_checks_to_action_advise():
    (advise,) = [r for r in rules() if r["steps"][-1] == {"action": "action_advise"} and "condition" not in r]
    assert rule_intents(advise) == domain_intents() - ONLY_THE_CHECK | {"nlu_fallback"}
    assert domain_intents() <= set().union(*(rule_intents(r) for r in rules()))


def test_every_intent_people_type_has_an_answer_in_the_content():
    lib = library()
    unanswered = {
        intent
        for intent in domain_intents() - CHECK_INTENTS - ANSWERED_IN_CODE
        if lib.for_intent(intent) is None and intent not in INPUT_PROBLEMS
    }
    assert unanswered == set()
    assert all(answer in lib.answers for answer in INPUT_PROBLEMS.values())
