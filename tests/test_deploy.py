"""Deployment descriptions: the SAM template, its twin for ASK CLI, and the skill manifest.

Templates are read with cfn-lint's YAML loader (it knows !Ref, !GetAtt, !Sub ...), checked
for what the skill relies on, then translated by AWS's own SAM translator (what `sam deploy`
and CloudFormation run) and linted by cfn-lint against the CloudFormation resource schemas,
all offline.
"""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint
from cfnlint.decode import decode_str
from samtranslator.translator.transform import transform

from spine_stretch.settings import Settings
from spine_stretch.store import open_store
from spine_stretch.store.dynamodb import PARTITION_KEY, DynamoStore

from .aws import TABLE_SPEC, fake_aws

ROOT = Path(__file__).resolve().parent.parent
SAM_TEMPLATE = ROOT / "template.yaml"
ASK_STACK = ROOT / "infrastructure" / "cfn-deployer" / "skill-stack.yaml"
ASK_RESOURCES = ROOT / "ask-resources.json"
SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
# The parameters ASK CLI's cfn-deployer passes to every stack it deploys.
ASK_CLI_PARAMETERS = {"LambdaRuntime", "LambdaHandler", "CodeBucket", "CodeKey", "CodeVersion"}


def load(path: Path) -> dict[str, Any]:
    template, problems = decode_str(path.read_text())
    assert not problems, problems
    plain: dict[str, Any] = json.loads(json.dumps(template))  # the loader's nodes as dicts
    return plain


class NoManagedPolicies:
    """The template names no managed policy, so the translator never needs IAM's list."""

    def load(self) -> dict[str, str]:
        return {}


def translate(template: dict[str, Any], parameters: dict[str, str],
              monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    fake_aws(monkeypatch)  # the translator asks boto3 for a region and partition only
    translated: dict[str, Any] = transform(copy.deepcopy(template), parameters,
                                           NoManagedPolicies())
    return translated


def packaged(template: dict[str, Any]) -> dict[str, Any]:
    """What `sam deploy` hands CloudFormation: the local zip replaced by its S3 upload."""
    result = copy.deepcopy(template)
    result["Resources"]["SkillFunction"]["Properties"]["CodeUri"] = "s3://artifacts/lambda.zip"
    return result


def errors(template: dict[str, Any]) -> list[str]:
    found = lint(json.dumps(template), config=ManualArgs(regions=["us-east-1"]))
    return [str(match) for match in found]


@pytest.fixture(scope="module")
def sam() -> dict[str, Any]:
    return load(SAM_TEMPLATE)


def function_properties(template: dict[str, Any]) -> dict[str, Any]:
    function = template["Resources"]["SkillFunction"]
    assert function["Type"] == "AWS::Serverless::Function"
    properties: dict[str, Any] = function["Properties"]
    return properties


def test_the_function_is_the_lambda_entry_built_by_make_lambda_zip(sam: dict[str, Any]) -> None:
    function = function_properties(sam)
    assert function["CodeUri"] == "dist/lambda.zip"
    module, _, name = function["Handler"].partition(".")
    assert (ROOT / "lambda" / f"{module}.py").read_text().count(name) >= 1
    assert function["Runtime"] == "python3.11" and function["Architectures"] == ["x86_64"]
    assert function["Timeout"] < 8  # Alexa's own limit


def test_the_function_gets_the_settings_the_skill_reads(sam: dict[str, Any]) -> None:
    variables = function_properties(sam)["Environment"]["Variables"]
    assert set(variables) == {"SPINE_STRETCH_STORE", "SPINE_STRETCH_SKILL_ID",
                              "SPINE_STRETCH_AUDIO_BASE_URL", "SPINE_STRETCH_AUDIO_DIR"}
    # The zip's own audio index: the manifest and the cool-down tracks (build_zip.py).
    assert variables["SPINE_STRETCH_AUDIO_DIR"] == "/var/task/audio"
    assert variables["SPINE_STRETCH_STORE"] == {"Fn::Sub": "dynamodb://${UserTable}"}
    assert variables["SPINE_STRETCH_SKILL_ID"] == {"Ref": "SkillId"}
    condition, cdn, bucket = variables["SPINE_STRETCH_AUDIO_BASE_URL"]["Fn::If"]
    assert (condition, cdn, bucket) == ("WithCloudFront",
                                        {"Fn::Sub": "https://${AudioCdn.DomainName}/"},
                                        {"Fn::Sub": "https://${AudioBucket.RegionalDomainName}/"})
    # As CloudFormation fills it in, the store URL opens our DynamoDB store.
    deployed = {"SPINE_STRETCH_STORE": "dynamodb://spine-stretch-UserTable-1A2B3C"}
    assert isinstance(open_store(Settings.from_env(deployed).store_url), DynamoStore)


def test_the_table_is_on_demand_and_keyed_as_the_store_expects(sam: dict[str, Any]) -> None:
    table = sam["Resources"]["UserTable"]
    assert table["Type"] == "AWS::DynamoDB::Table"
    assert table["DeletionPolicy"] == "Retain"  # user progress outlives a deleted stack
    properties = table["Properties"]
    for key in ("KeySchema", "AttributeDefinitions", "BillingMode"):
        assert properties[key] == TABLE_SPEC[key]
    assert properties["KeySchema"] == [{"AttributeName": PARTITION_KEY, "KeyType": "HASH"}]


def test_the_function_may_only_read_write_and_delete_items_of_its_table(
        sam: dict[str, Any]) -> None:
    [policy] = function_properties(sam)["Policies"]
    [statement] = policy["Statement"]
    # DeleteItem: "delete my data", and a user who disables the skill (store.delete).
    assert statement == {"Effect": "Allow",
                         "Action": ["dynamodb:GetItem", "dynamodb:PutItem",
                                    "dynamodb:DeleteItem"],
                         "Resource": {"Fn::GetAtt": ["UserTable", "Arn"]}}


def test_only_the_skill_may_invoke_the_function(sam: dict[str, Any],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    [event] = function_properties(sam)["Events"].values()
    assert event == {"Type": "AlexaSkill", "Properties": {"SkillId": {"Ref": "SkillId"}}}
    resources = translate(packaged(sam), {"SkillId": SKILL_ID}, monkeypatch)["Resources"]
    [permission] = [r["Properties"] for r in resources.values()
                    if r["Type"] == "AWS::Lambda::Permission"]
    assert permission["Principal"] == "alexa-appkit.amazon.com"
    assert permission["EventSourceToken"] == {"Ref": "SkillId"}
    assert permission["FunctionName"] == {"Ref": "SkillFunction"}


def test_the_audio_bucket_allows_reading_files_only(sam: dict[str, Any]) -> None:
    resources = sam["Resources"]
    assert resources["AudioBucket"]["Type"] == "AWS::S3::Bucket"
    [statement] = resources["AudioBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    condition, through_cdn, direct = statement["Fn::If"]
    assert condition == "WithCloudFront"
    assert through_cdn["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    for grant in (through_cdn, direct):
        assert grant["Action"] == "s3:GetObject"
        assert grant["Resource"] == {"Fn::Sub": "${AudioBucket.Arn}/*"}
    for name in ("AudioCdn", "AudioOriginAccess"):
        assert resources[name]["Condition"] == "WithCloudFront"


@pytest.mark.parametrize("cloudfront", ["true", "false"])
def test_cfn_lint_finds_nothing_in_what_cloudformation_receives(
        sam: dict[str, Any], cloudfront: str, monkeypatch: pytest.MonkeyPatch) -> None:
    parameters = {"SkillId": SKILL_ID, "UseCloudFront": cloudfront}
    assert errors(translate(packaged(sam), parameters, monkeypatch)) == []


def test_cfn_lint_finds_nothing_in_either_source_template() -> None:
    assert errors(load(SAM_TEMPLATE)) == []
    assert errors(load(ASK_STACK)) == []


def test_cfn_lint_would_notice_a_broken_template(sam: dict[str, Any],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    broken = packaged(sam)
    broken["Resources"]["UserTable"]["Properties"]["KeySchema"][0]["AttributeName"] = "user"
    translated = translate(broken, {"SkillId": SKILL_ID}, monkeypatch)
    assert any("E3039" in error for error in errors(translated))


def test_the_ask_cli_stack_is_the_sam_template_with_code_from_ask_cli(
        sam: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    ask = load(ASK_STACK)
    assert ASK_CLI_PARAMETERS <= set(ask["Parameters"])
    function = function_properties(ask)
    assert function.pop("CodeUri") == {"Bucket": {"Ref": "CodeBucket"},
                                       "Key": {"Ref": "CodeKey"},
                                       "Version": {"Ref": "CodeVersion"}}
    assert function.pop("Runtime") == {"Ref": "LambdaRuntime"}
    assert function.pop("Handler") == {"Ref": "LambdaHandler"}
    ours = function_properties(sam)
    config = json.loads(ASK_RESOURCES.read_text())["profiles"]["default"]
    infrastructure = config["skillInfrastructure"]["userConfig"]
    assert infrastructure["runtime"] == ours.pop("Runtime")
    assert infrastructure["handler"] == ours.pop("Handler")
    ours.pop("CodeUri")
    for name in ASK_CLI_PARAMETERS:
        del ask["Parameters"][name]
    assert ask == sam

    parameters = {"SkillId": SKILL_ID, "LambdaRuntime": infrastructure["runtime"],
                  "LambdaHandler": infrastructure["handler"], "CodeBucket": "ask-artifacts",
                  "CodeKey": "endpoint/build.zip", "CodeVersion": "1",
                  **infrastructure["cfn"]["parameters"]}
    assert errors(translate(load(ASK_STACK), parameters, monkeypatch)) == []


def test_ask_cli_builds_the_same_zip_and_deploys_the_stack() -> None:
    config = json.loads(ASK_RESOURCES.read_text())["profiles"]["default"]
    assert config["skillInfrastructure"]["type"] == "@ask-cli/cfn-deployer"
    user_config = config["skillInfrastructure"]["userConfig"]
    assert (ROOT / user_config["templatePath"]).resolve() == ASK_STACK
    # A Transform needs CloudFormation's CAPABILITY_AUTO_EXPAND; ASK CLI adds only IAM's.
    assert "CAPABILITY_AUTO_EXPAND" in user_config["cfn"]["capabilities"]
    assert (ROOT / config["code"]["default"]["src"] / "lambda_function.py").is_file()
    hook = ROOT / "hooks" / "build.sh"  # ASK CLI's custom build flow: build.sh ZIP DEBUG
    assert os.access(hook, os.X_OK) and "lambda/build_zip.py" in hook.read_text()


def test_the_skill_manifest_points_at_a_lambda_function() -> None:
    manifest = json.loads((ROOT / "interaction_model" / "skill.json").read_text())
    endpoint = manifest["manifest"]["apis"]["custom"]["endpoint"]
    assert endpoint.keys() == {"uri"}  # a Lambda endpoint has no certificate type
    assert re.fullmatch(r"arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+", endpoint["uri"])
