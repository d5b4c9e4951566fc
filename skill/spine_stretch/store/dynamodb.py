"""User records in one DynamoDB table, for the skill on AWS Lambda (`dynamodb://TABLE`).

The table's partition key is `id`, a string: the Alexa user id, the same key name as ASK's own
adapter uses, so a table made for either works. The record is one JSON string attribute,
`record`, not a DynamoDB map: our state holds floats (timestamps), which boto3's map
serializer refuses (it wants `Decimal`), and a string round-trips exactly what the SQLite
store keeps. Nothing queries inside a record, so a map would buy nothing.

Why our own adapter rather than ask-sdk-dynamodb-persistence-adapter: that package creates a
boto3 resource in a default argument, so importing it builds a client (and fails without an
AWS region) at import time; importing it costs 4.4 times `ask_sdk_core.skill_builder`'s
import, this module 2.2 times, nearly all of it boto3's (fresh processes, interpreter
start-up subtracted, medians of 15 interleaved runs); and its map storage would reject our
floats. This module is imported only when a `dynamodb://` store is opened, that is at the
Lambda's first event, and the client is made at the first read or write.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, Protocol

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from . import Record, Snapshot, StoreConflict, StoreError

PARTITION_KEY = "id"
RECORD_ATTRIBUTE = "record"
VERSION_ATTRIBUTE = "version"

# DynamoDB's own rule for table names.
_TABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}")

# Alexa waits about 8 s for an answer: a couple of quick retries, then an apology, beats
# botocore's legacy default of up to 10 attempts with backoff for DynamoDB.
CLIENT_CONFIG = Config(connect_timeout=1, read_timeout=2,
                       retries={"mode": "standard", "max_attempts": 3})

_THROTTLED = {"ProvisionedThroughputExceededException", "ThrottlingException",
              "RequestLimitExceeded"}


class DynamoClient(Protocol):
    """The calls of boto3's low-level DynamoDB client this store makes."""

    def get_item(self, **kwargs: Any) -> dict[str, Any]: ...

    def delete_item(self, **kwargs: Any) -> dict[str, Any]: ...

    def put_item(self, **kwargs: Any) -> dict[str, Any]: ...


def default_client() -> DynamoClient:
    """A client for the region in the environment (AWS_REGION is always set on Lambda)."""
    client: DynamoClient = boto3.client("dynamodb", config=CLIENT_CONFIG)
    return client


def check_table_name(table: str) -> str:
    if not _TABLE_NAME.fullmatch(table):
        raise StoreError(f"{table!r} is not a DynamoDB table name: use dynamodb://TABLE with "
                         "3 to 255 letters, digits, '_', '-' or '.'")
    return table


class DynamoStore:
    """A UserStore over one table; the client is created on the first get or put."""

    def __init__(self, table: str,
                 client_factory: Callable[[], DynamoClient] = default_client) -> None:
        self.table = check_table_name(table)
        self._client_factory = client_factory
        self._client: DynamoClient | None = None

    def get(self, user_id: str) -> Snapshot:
        # Strongly consistent: a user who stops and relaunches at once must see the save.
        response = self._call("read", lambda client: client.get_item(
            TableName=self.table, Key={PARTITION_KEY: {"S": user_id}}, ConsistentRead=True))
        item = response.get("Item")
        if item is None:
            return Snapshot()
        try:
            record = json.loads(item[RECORD_ATTRIBUTE]["S"])
            # A record written before versions existed counts as version 1.
            version = int(item.get(VERSION_ATTRIBUTE, {"N": "1"})["N"])
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError(f"a record in DynamoDB table {self.table!r} is not a JSON string "
                             f"attribute {RECORD_ATTRIBUTE!r} with a version: {exc}") from exc
        if not isinstance(record, dict):
            raise StoreError(f"a record in DynamoDB table {self.table!r} is not a JSON object")
        return Snapshot(record, version)

    def put(self, user_id: str, record: Record, version: int) -> None:
        """A conditional write: only over the version that was read (none for a new user)."""
        payload = json.dumps(record, separators=(",", ":"), sort_keys=True)
        if version == 0:
            condition: dict[str, Any] = {
                "ConditionExpression": "attribute_not_exists(#id)",
                "ExpressionAttributeNames": {"#id": PARTITION_KEY},
            }
        else:
            condition = {
                "ConditionExpression": "attribute_not_exists(#version) OR #version = :read",
                "ExpressionAttributeNames": {"#version": VERSION_ATTRIBUTE},
                "ExpressionAttributeValues": {":read": {"N": str(version)}},
            }
        self._call("write", lambda client: client.put_item(
            TableName=self.table,
            Item={PARTITION_KEY: {"S": user_id}, RECORD_ATTRIBUTE: {"S": payload},
                  VERSION_ATTRIBUTE: {"N": str(version + 1)}},
            **condition))

    def delete(self, user_id: str) -> bool:
        # ALL_OLD returns the deleted item, so one call both deletes and tells whether
        # there was anything to delete.
        response = self._call("delete from", lambda client: client.delete_item(
            TableName=self.table, Key={PARTITION_KEY: {"S": user_id}}, ReturnValues="ALL_OLD"))
        return bool(response.get("Attributes"))

    def _call(self, action: str,
              call: Callable[[DynamoClient], dict[str, Any]]) -> dict[str, Any]:
        try:
            if self._client is None:
                self._client = self._client_factory()
            return call(self._client)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise StoreConflict(f"the record in DynamoDB table {self.table!r} changed "
                                    "since it was read") from exc
            raise StoreError(self._explain(action, exc)) from exc
        except BotoCoreError as exc:
            raise StoreError(f"cannot {action} DynamoDB table {self.table!r}: {exc}") from exc

    def _explain(self, action: str, exc: ClientError) -> str:
        error = exc.response.get("Error", {})
        code = str(error.get("Code", "unknown"))
        where = f"DynamoDB table {self.table!r}"
        if code == "ResourceNotFoundException":
            return (f"{where} does not exist in this account and region: check "
                    "SPINE_STRETCH_STORE and the deployed stack")
        if code in _THROTTLED:
            return f"{where} throttled a {action} ({code}), still refused after retries"
        if code == "AccessDeniedException":
            return f"the function may not {action} {where}: check its IAM policy"
        return f"cannot {action} {where}: {code}: {error.get('Message', '')}"
