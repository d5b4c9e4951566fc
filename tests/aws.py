"""DynamoDB through moto for the tests: a hermetic AWS environment and the skill's table."""

from __future__ import annotations

from typing import Any

import pytest

REGION = "us-east-1"
TABLE = "spine-stretch-users"

# What template.yaml declares (a test checks they agree): key `id`, on-demand billing.
TABLE_SPEC: dict[str, Any] = {
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}

# What the Lambda path must never load: the web server, the audio pipeline, the request
# verifier, requests (left out of the zip) and boto3 until a dynamodb:// store is opened.
NEVER_ON_LAMBDA = {"flask", "werkzeug", "waitress", "pydub", "gtts", "piper", "onnxruntime",
                   "imageio_ffmpeg", "cryptography", "requests", "boto3", "botocore", "moto"}

# Fake credentials and no config files, so nothing here can reach a real account.
FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_CONFIG_FILE": "/nonexistent/aws-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
}


def fake_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in FAKE_AWS_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def create_table(client: Any, name: str = TABLE) -> None:
    client.create_table(TableName=name, **TABLE_SPEC)
