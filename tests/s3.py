"""An S3 bucket for tests, in process (moto): STORAGE_BACKEND=s3 without a network or a real bucket.

`s3_bucket` switches the "default" storage — every private file — to django-storages' S3 backend with the
options suzhou_sw/settings.py builds for STORAGE_BACKEND=s3, and yields a boto3 client to look into the bucket.
Skipped when moto or django-storages is not installed."""

from __future__ import annotations

import pytest

BUCKET = "suzhou-sw-test-private"
REGION = "us-east-1"


def s3_storage_settings(bucket: str = BUCKET) -> dict:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "region_name": REGION,
            "access_key": "testing",
            "secret_key": "testing",
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 60,
        },
    }


@pytest.fixture
def s3_bucket(settings, tmp_path, monkeypatch):
    moto = pytest.importorskip("moto", reason="moto (dev dependency) is not installed")
    pytest.importorskip("storages", reason="django-storages is not installed")
    import boto3

    # No credentials or config of this machine reach the mock (and nothing reaches AWS).
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    with moto.mock_aws():
        client = boto3.client("s3", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")
        client.create_bucket(Bucket=BUCKET)
        # A local directory that must stay empty: nothing private is written to disk.
        settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT = tmp_path / "must-stay-empty"
        settings.STORAGES = {**settings.STORAGES, "default": s3_storage_settings()}
        yield client


def bucket_keys(client) -> list[str]:
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def bucket_bytes(client, key: str) -> bytes:
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()
