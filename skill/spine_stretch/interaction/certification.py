"""The checks Amazon applies before certifying a skill, as plain functions over plain data.

Each takes what it checks (the manifest as a dict, example phrases, ...) and
returns the problems it found, each a sentence naming what to fix; an empty list passes.
Each rule cites the Amazon page it comes from. Nothing here reads our own YAML. The rules
for sample utterances live in rules.py, which the model build applies too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

UTTERANCES_DOC = ("https://developer.amazon.com/en-US/docs/alexa/custom-skills/"
                  "create-intents-utterances-and-slots.html")
INVOCATION_DOC = ("https://developer.amazon.com/en-US/docs/alexa/custom-skills/"
                  "choose-the-invocation-name-for-a-custom-skill.html")
EXAMPLES_DOC = ("https://developer.amazon.com/en-US/docs/alexa/custom-skills/"
                "understanding-how-users-invoke-custom-skills.html")
EXAMPLES_TEST_DOC = ("https://developer.amazon.com/en-US/docs/alexa/custom-skills/"
                     "functional-testing-for-a-custom-skill.html")
BUILT_INS_DOC = ("https://developer.amazon.com/en-US/docs/alexa/custom-skills/"
                 "standard-built-in-intents.html")
AUDIO_PLAYER_DOC = ("https://developer.amazon.com/en-US/docs/alexa/custom-skills/"
                    "audioplayer-interface-reference.html")
MANIFEST_DOC = "https://developer.amazon.com/en-US/docs/alexa/smapi/skill-manifest.html"

# Words that wake or launch Alexa: an invocation name or a sample must not contain them
# (INVOCATION_DOC; for samples UTTERANCES_DOC: "do not include the wake word or launch
# phrases").
WAKE_WORDS = ("alexa", "amazon", "echo", "computer", "skill", "app")
LAUNCH_WORDS = ("ask", "tell", "open", "launch", "start", "begin", "load", "run", "resume",
                "use", "play", "enable", "talk to")
CONNECTING_WORDS = ("to", "for", "about", "if", "whether", "and", "that", "the", "")

# Required of every custom skill (BUILT_INS_DOC), and of one that declares an interface.
REQUIRED_INTENTS = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.HelpIntent",
                    "AMAZON.FallbackIntent", "AMAZON.NavigateHomeIntent")
INTERFACE_INTENTS: Mapping[str, tuple[str, ...]] = {
    "AUDIO_PLAYER": ("AMAZON.PauseIntent", "AMAZON.ResumeIntent"),  # AUDIO_PLAYER_DOC
}

# Field limits of the manifest's publishingInformation locale (MANIFEST_DOC).
STORE_LIMITS = {"name": 50, "summary": 160, "description": 4000}
MAX_EXAMPLE_PHRASES = 3
MAX_KEYWORDS = 30
MAX_TESTING_INSTRUCTIONS = 4000

_SLOT = re.compile(r"\{([^}]*)\}")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def check_invocation(name: str) -> list[str]:
    """INVOCATION_DOC: lower-case letters, spaces, apostrophes and abbreviation periods; at
    least two words; no wake word or launch phrase; two words may not include an article."""
    problems = []
    if not re.fullmatch(r"[a-z][a-z'. ]*[a-z.]", name):
        problems.append(f"invocation {name!r}: only lower-case letters, spaces, apostrophes "
                        f"and periods ({INVOCATION_DOC})")
    words = name.split()
    if len(words) < 2:
        problems.append(f"invocation {name!r}: needs two or more words ({INVOCATION_DOC})")
    bad = [w for w in words if w in WAKE_WORDS or w in LAUNCH_WORDS]
    if bad:
        problems.append(f"invocation {name!r}: may not contain {bad} ({INVOCATION_DOC})")
    if len(words) == 2 and {"the", "a", "an", "for", "to", "of"} & set(words):
        problems.append(f"invocation {name!r}: two words without an article or connecting "
                        f"word ({INVOCATION_DOC})")
    return problems


def _matches_sample(utterance: str, samples: Sequence[str]) -> bool:
    said = " ".join(_words(utterance))
    for sample in samples:
        parts = _SLOT.split(sample.lower())
        if not any(_words(part) for part in parts[::2]):
            continue  # a bare "{slot}" sample would match anything: it shows no phrase
        # Literal text between slots must be said as written; a slot takes whole words.
        pattern = r" ?".join(
            r"[a-z'][a-z' ]*?" if index % 2 else re.escape(" ".join(_words(part)))
            for index, part in enumerate(parts) if index % 2 or _words(part))
        if re.fullmatch(pattern, said):
            return True
    return False


def check_example_phrases(phrases: Sequence[str], invocation: str,
                          samples: Mapping[str, Sequence[str]]) -> list[str]:
    """EXAMPLES_TEST_DOC: one to three; the first opens the skill with the wake word and the
    invocation name; every other one is a supported phrase (EXAMPLES_DOC) around a sample."""
    if not 1 <= len(phrases) <= MAX_EXAMPLE_PHRASES:
        return [f"example phrases: one to {MAX_EXAMPLE_PHRASES}, not {len(phrases)} "
                f"({EXAMPLES_TEST_DOC})"]
    problems = []
    launch = "|".join(re.escape(word) for word in LAUNCH_WORDS if word not in ("ask", "tell"))
    first = " ".join(_words(phrases[0]))
    if not re.fullmatch(rf"alexa (?:{launch}) {re.escape(invocation)}", first):
        problems.append(f"example phrase {phrases[0]!r}: the first opens the skill, "
                        f"'Alexa, open {invocation}' ({EXAMPLES_TEST_DOC})")
    every = [sample for intent_samples in samples.values() for sample in intent_samples]
    connectors = "|".join(re.escape(c) + " " for c in CONNECTING_WORDS if c)
    for phrase in phrases[1:]:
        if re.search(r"\d", phrase):
            problems.append(f"example phrase {phrase!r}: numbers spelled out, as said, "
                            f"around one of the samples ({EXAMPLES_TEST_DOC})")
            continue
        said = " ".join(_words(phrase))
        found = re.fullmatch(rf"alexa (?:ask|tell) {re.escape(invocation)} (?:{connectors})?"
                             r"(.+)", said)
        utterances = [found[1]] if found else []
        # "to"/"for" may be the connecting word or the sample's own first word.
        if found and said.startswith(f"alexa ask {invocation} "):
            utterances.append(said.removeprefix(f"alexa ask {invocation} "))
        if not any(_matches_sample(u, every) for u in utterances):
            problems.append(f"example phrase {phrase!r}: must be 'Alexa, ask {invocation} "
                            f"...' around one of the samples ({EXAMPLES_DOC})")
    return problems


def check_required_intents(intents: Sequence[str], interfaces: Sequence[str]) -> list[str]:
    """BUILT_INS_DOC for every skill; AUDIO_PLAYER_DOC for a skill declaring AudioPlayer."""
    have = set(intents)
    problems = [f"missing required {name} ({BUILT_INS_DOC})"
                for name in REQUIRED_INTENTS if name not in have]
    for interface in interfaces:
        problems += [f"missing {name}, required with {interface} ({AUDIO_PLAYER_DOC})"
                     for name in INTERFACE_INTENTS.get(interface, ()) if name not in have]
    return problems


def model_shape(model: Mapping[str, Any]) -> tuple[str, list[tuple[str, list[Any]]]]:
    language = model["interactionModel"]["languageModel"]
    return (str(language["invocationName"]),
            [(intent["name"], intent.get("slots", [])) for intent in language["intents"]])


def check_locales(models: Mapping[str, Mapping[str, Any]],
                  manifest: Mapping[str, Any]) -> list[str]:
    """MANIFEST_DOC: every locale with a model has its store and privacy information, and
    (our own rule, so that no locale lags) all models have the same invocation and intents."""
    body = manifest["manifest"]
    published = set(body.get("publishingInformation", {}).get("locales", {}))
    private = set(body.get("privacyAndCompliance", {}).get("locales", {}))
    problems = [f"{locale}: a model but no publishingInformation ({MANIFEST_DOC})"
                for locale in sorted(set(models) - published)]
    problems += [f"{locale}: a model but no privacyAndCompliance ({MANIFEST_DOC})"
                 for locale in sorted(set(models) - private)]
    problems += [f"{locale}: store information but no model ({MANIFEST_DOC})"
                 for locale in sorted(published - set(models))]
    shapes = {locale: model_shape(model) for locale, model in models.items()}
    if len({repr(shape) for shape in shapes.values()}) > 1:
        problems.append(f"locales differ in invocation, intents or slots: {sorted(shapes)}")
    return problems


def check_store_fields(manifest: Mapping[str, Any]) -> list[str]:
    """MANIFEST_DOC: lengths and counts of the store fields; HTTPS icons and policy pages."""
    body = manifest["manifest"]
    info = body.get("publishingInformation", {})
    problems = []
    if len(str(info.get("testingInstructions", ""))) > MAX_TESTING_INSTRUCTIONS:
        problems.append(f"testingInstructions: at most {MAX_TESTING_INSTRUCTIONS} characters "
                        f"({MANIFEST_DOC})")
    for locale, entry in info.get("locales", {}).items():
        for field, limit in STORE_LIMITS.items():
            value = str(entry.get(field, ""))
            if not 1 <= len(value) <= limit:
                problems.append(f"{locale} {field}: 1 to {limit} characters, not {len(value)} "
                                f"({MANIFEST_DOC})")
        if not 1 <= len(entry.get("keywords", [])) <= MAX_KEYWORDS:
            problems.append(f"{locale} keywords: 1 to {MAX_KEYWORDS} ({MANIFEST_DOC})")
        for icon in ("smallIconUri", "largeIconUri"):
            uri = str(entry.get(icon, ""))
            if not (uri.startswith("https://") and uri.endswith(".png")):
                problems.append(f"{locale} {icon}: an https:// PNG ({MANIFEST_DOC})")
    for locale, urls in body.get("privacyAndCompliance", {}).get("locales", {}).items():
        for field in ("privacyPolicyUrl", "termsOfUseUrl"):
            if not str(urls.get(field, "")).startswith("https://"):
                problems.append(f"{locale} {field}: an https:// URL ({MANIFEST_DOC})")
    return problems


ROUND_TRIP_DOC = "https://github.com/alexa/alexa-apis-for-python (ask-smapi-model)"


def check_round_trip(data: Mapping[str, Any], kind: str) -> list[str]:
    """Deserialize `data` with Amazon's SMAPI model classes (kind "manifest" or "model") and
    compare what they serialize back: they drop unknown keys and coerce wrong types silently,
    so a difference is a key or value Amazon's own schema does not have."""
    import json

    from ask_sdk_core.serialize import DefaultSerializer
    from ask_smapi_model.v1.skill.interaction_model.interaction_model_data import (
        InteractionModelData,
    )
    from ask_smapi_model.v1.skill.manifest.interface_type import InterfaceType
    from ask_smapi_model.v1.skill.manifest.skill_manifest_envelope import (
        SkillManifestEnvelope,
    )

    problems: list[str] = []
    payload: Any = json.loads(json.dumps(data))
    if kind == "manifest":
        interfaces = payload["manifest"].get("apis", {}).get("custom", {}).get("interfaces", [])
        # Interface types the schema lists (InterfaceType) but the model package has no
        # class for: checked against the list, then left out of the round trip.
        modelled = {"AUDIO_PLAYER", "ALEXA_PRESENTATION_APL", "RENDER_TEMPLATE", "VIDEO_APP",
                    "GAME_ENGINE", "GADGET_CONTROLLER", "APP_LINKS", "APP_LINKS_V2",
                    "ALEXA_PRESENTATION_HTML", "ALEXA_SEARCH", "ALEXA_DATASTORE_PACKAGEMANAGER"}
        known = {item.value for item in InterfaceType}
        for interface in list(interfaces):
            if interface.get("type") not in known:
                problems.append(f"interface {interface.get('type')!r} is not a type the "
                                f"manifest schema knows ({MANIFEST_DOC})")
            if interface.get("type") not in modelled:
                interfaces.remove(interface)
    target = SkillManifestEnvelope if kind == "manifest" else InteractionModelData
    serializer = DefaultSerializer()
    try:
        back = serializer.serialize(serializer.deserialize(json.dumps(payload), target))
    except Exception as exc:  # the SDK raises bare exceptions of several kinds
        return [*problems, f"{kind}: Amazon's model classes cannot read it: {exc}"]
    problems += [f"{kind}: {difference} ({ROUND_TRIP_DOC})"
                 for difference in _differences(payload, back, "")]
    return problems


def _differences(sent: Any, back: Any, path: str) -> list[str]:
    if isinstance(sent, dict) and isinstance(back, dict):
        found = [f"{path}.{key} is not in Amazon's schema (dropped)"
                 for key in sent if key not in back]
        for key in sent:
            if key in back:
                found += _differences(sent[key], back[key], f"{path}.{key}")
        return found
    if isinstance(sent, list) and isinstance(back, list) and len(sent) == len(back):
        return [d for i, (a, b) in enumerate(zip(sent, back, strict=True))
                for d in _differences(a, b, f"{path}[{i}]")]
    if sent != back or type(sent) is not type(back):
        return [f"{path or 'the document'} reads back as {back!r:.60}, not {sent!r:.60}"]
    return []
