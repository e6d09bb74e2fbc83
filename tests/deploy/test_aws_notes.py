"""deploy/aws-elastic-beanstalk.md: the bundle it describes is a valid compose file whose
required variables are the ones its `eb setenv` sets."""

from __future__ import annotations

import copy
import re
from typing import Any

import jsonschema

from tests.deploy.deploy_helpers import DEPLOY, load_vendored_schema

NOTES = (DEPLOY / "aws-elastic-beanstalk.md").read_text(encoding="utf-8")


def _bundle(compose: dict[str, Any]) -> dict[str, Any]:
    """compose.yaml edited as step 3 of the notes says."""
    bundle = copy.deepcopy(compose)
    assert "replace the `image:`/`build:` pair" in NOTES
    for svc in bundle["services"].values():
        if svc.pop("build", None) is not None:
            svc["image"] = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/quantumflow:1.0"
    assert "delete the `postgres` service and the lab's `depends_on: postgres`" in NOTES
    del bundle["services"]["postgres"]
    lab = bundle["services"]["lab"]
    del lab["depends_on"]["postgres"]
    assert "set the lab's `QUANTUMFLOW_DB` to `${QUANTUMFLOW_DB:?set QUANTUMFLOW_DB}`" in NOTES
    lab["environment"]["QUANTUMFLOW_DB"] = "${QUANTUMFLOW_DB:?set QUANTUMFLOW_DB}"
    assert 'change the lab port to `"80:8888"`' in NOTES
    lab["ports"] = ["80:8888"]
    return bundle


def test_the_bundle_is_valid_and_needs_only_what_eb_setenv_sets(compose: dict[str, Any]) -> None:
    bundle = _bundle(compose)
    schema = load_vendored_schema("compose-spec")
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert [e.message for e in validator.iter_errors(bundle)] == []
    text = repr(bundle)
    assert "@postgres:" not in text and "postgres:16" not in text
    required = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*):\?", text))
    setenv = NOTES[NOTES.index("eb setenv") :].split("```")[0]
    assert required <= set(re.findall(r"\b([A-Z_][A-Z0-9_]+)=", setenv)), required
