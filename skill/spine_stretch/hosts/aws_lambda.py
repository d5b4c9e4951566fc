"""The skill on AWS Lambda: the same skill as the web server, built once per container.

`lambda/lambda_function.py` re-exports `lambda_handler` from here. Importing this module
loads ask-sdk-core's request codec and our settings, and nothing else: no client, no file
read. The skill is built at the first event: that imports the factory and the skill's
modules, loads the content (in a bundle, the snapshot validated at build time; else the
YAML, parsed and validated) and opens the store (boto3 for
`dynamodb://`). A cold start pays the same total either way; building at the first event
keeps import free of side effects, puts a configuration error in the log against a request
rather than in a crashed container start, and keeps the entry's own import close to
ask-sdk-core's (benchmarks/lambda_cold.py prints it among the stages of a cold start). With
provisioned concurrency, whose containers start before any event, building at import would
be the better trade. Lambda reuses a warm container for later events, and the skill with it.

Content that fails its checks (in a bundle: YAML that is not what `make lambda-zip`
validated) stops the skill from starting: one error line in the log says why, and every
event, that one and each later one, gets a JSON error object, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from ask_sdk_core.skill import CustomSkill

from ..alexa.codec import BadEnvelope, invoke
from ..settings import Settings

log = logging.getLogger(__name__)


def application_id(event: Mapping[str, Any]) -> str | None:
    """The skill id an Alexa request names, if it names one."""
    node: Any = event
    for key in ("context", "System", "application", "applicationId"):
        node = node.get(key) if isinstance(node, Mapping) else None
    return node if isinstance(node, str) else None


class LambdaHandler:
    """Answers each Lambda event with the one skill, built on the first event.

    Alexa only invokes the function for the skill id its trigger names; with
    SPINE_STRETCH_SKILL_ID set, a direct invocation for any other skill is refused too.
    Anything that is not an Alexa request gets a JSON error object back, never a traceback.
    """

    def __init__(self, settings: Callable[[], Settings] = Settings.from_env) -> None:
        self._settings = settings
        self._skill: CustomSkill | None = None
        self._skill_id: str | None = None
        self._broken: str | None = None

    def __call__(self, event: Any, context: Any = None) -> dict[str, Any]:
        if self._broken is not None:
            return {"error": self._broken}
        if self._skill is None:
            # Here, not at the top: see the module docstring.
            from ..content import ContentError
            from .runtime import skill_from_settings

            settings = self._settings()
            try:
                self._skill = skill_from_settings(settings)
            except ContentError as exc:
                self._broken = f"the skill cannot start: {exc}"
                log.error("%s", self._broken)
                return {"error": self._broken}
            self._skill_id = settings.skill_id
        if not isinstance(event, Mapping):
            return self._refuse("the event must be a JSON object (an ASK request envelope)")
        if self._skill_id is not None and application_id(event) != self._skill_id:
            return self._refuse("the request is for another skill")
        try:
            return invoke(self._skill, dict(event))
        except BadEnvelope as exc:
            return self._refuse(str(exc))

    @staticmethod
    def _refuse(reason: str) -> dict[str, Any]:
        log.warning("refused an event: %s", reason)
        return {"error": reason}


lambda_handler = LambdaHandler()
