"""Evidence in S3-compatible object storage, against a real local S3 endpoint (moto's server)."""

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from aman.evidence import services, storage
from aman.evidence.tests import files

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def s3_endpoint(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.setenv(name, "/nonexistent")
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    client.create_bucket(Bucket="aman-evidence")
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "aman-evidence",
                "endpoint_url": endpoint,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "location": "evidence",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    try:
        yield client
    finally:
        server.stop()


def _objects(client: Any) -> dict[str, bytes]:
    listing = client.list_objects_v2(Bucket="aman-evidence").get("Contents", [])
    return {o["Key"]: client.get_object(Bucket="aman-evidence", Key=o["Key"])["Body"].read() for o in listing}


@pytest.mark.django_db
def test_upload_read_and_purge_through_s3(s3_endpoint: Any, case: Any) -> None:
    data = files.jpeg_with_gps()
    item = services.evidence_files_add(case=case, files=[files.upload("a.jpg", data)], by_reporter=True).added[0]
    objects = _objects(s3_endpoint)
    assert len(objects) == 2
    assert all(key.startswith("evidence/") for key in objects)
    assert all(b"PhoneMaker" not in body and not body.startswith(b"\xff\xd8") for body in objects.values())
    assert storage.blob_read(item.blobs.get(role="original")) == data
    services.evidence_purge_case(case=case)
    assert _objects(s3_endpoint) == {}


@pytest.mark.django_db
def test_orphan_sweep_on_s3(s3_endpoint: Any, case: Any) -> None:
    services.evidence_files_add(case=case, files=[files.upload("a.txt", b"chat")], by_reporter=True)
    storage.blob_write(b"orphan", content_type="text/plain")
    assert len(_objects(s3_endpoint)) == 2
    assert services.evidence_sweep_orphans(older_than_minutes=0) == 1
    assert len(_objects(s3_endpoint)) == 1
