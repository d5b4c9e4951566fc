"""Runs saved request envelopes through `lambda_function.lambda_handler` in a clean interpreter.

Not a test module: tests/hosts/test_lambda_bundle.py runs it as `python -I -S lambda_driver.py
PLAN.json`, so no site-packages and no current folder are on the path, only the folders the
plan names (the unpacked bundle first, then, for DynamoDB runs, what Lambda itself provides:
boto3, plus moto standing in for AWS). The plan says which envelopes to send, whether to
fake DynamoDB with moto and what to break on the way; the result, written as JSON, holds
each response and where every imported top-level module came from.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import pkgutil
import sys
from pathlib import Path
from typing import Any


def throttle(**_: Any) -> tuple[Any, dict[str, Any]]:
    """What DynamoDB answers to a write over capacity, given as botocore's Stubber does."""
    from botocore.awsrequest import AWSResponse

    error = {"Code": "ProvisionedThroughputExceededException",
             "Message": "The level of configured provisioned throughput for the table was "
                        "exceeded."}
    return AWSResponse("", 400, {}, None), {"Error": error,
                                            "ResponseMetadata": {"HTTPStatusCode": 400}}


def import_package(name: str, skip: set[str]) -> list[str]:
    package = importlib.import_module(name)
    found = [name]
    for module in pkgutil.walk_packages(package.__path__, f"{name}."):
        if module.name not in skip:
            importlib.import_module(module.name)
            found.append(module.name)
    return found


def run(plan: dict[str, Any]) -> dict[str, Any]:
    sys.path[:0] = plan["path"]
    with contextlib.ExitStack() as stack:
        client = None
        if plan.get("table"):
            import boto3
            from moto import mock_aws

            stack.enter_context(mock_aws())
            client = boto3.client("dynamodb")
            client.create_table(TableName=plan["table"], **plan["table_spec"])
            if plan.get("throttle_writes"):
                # Handlers registered on the default session reach every client made from
                # it later, the store's included: the same botocore hook Stubber uses.
                boto3.setup_default_session()
                assert boto3.DEFAULT_SESSION is not None
                boto3.DEFAULT_SESSION.events.register("before-call.dynamodb.PutItem", throttle)

        import lambda_function

        responses = []
        for step in plan["steps"]:
            if step.get("delete_table"):
                assert client is not None, "only a DynamoDB plan has a table to delete"
                client.delete_table(TableName=plan["table"])
            event = json.loads(Path(step["envelope"]).read_text())
            responses.append(lambda_function.lambda_handler(event, None))
        answering = sorted(name for name in sys.modules if "." not in name)
        imported = (import_package(plan["import_all"], set(plan.get("import_skip", [])))
                    if plan.get("import_all") else [])
    modules = {name: getattr(module, "__file__", None)
               for name, module in list(sys.modules.items()) if "." not in name}
    return {"responses": responses, "modules": modules, "imported": imported,
            "answering": answering}


if __name__ == "__main__":
    plan_file = Path(sys.argv[1])
    result = run(json.loads(plan_file.read_text()))
    plan_file.with_suffix(".out.json").write_text(json.dumps(result))
