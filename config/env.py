"""Environment access. Secrets may also come from ``<NAME>_FILE``."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.smart_cast = False
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def secret(name: str, default: str | None = None) -> str | None:
    """Read a secret from ``NAME`` or from the file named by ``NAME_FILE``."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return env.str(name, default=default)


def evidence_storage(env: environ.Env, base_dir: Path) -> dict[str, object]:
    """The evidence storage backend: local disk (default) or S3-compatible object storage.

    ``AMAN_EVIDENCE_STORAGE=s3`` with ``AMAN_EVIDENCE_S3_BUCKET`` (and, for MinIO, Ceph or a
    provider other than AWS, ``AMAN_EVIDENCE_S3_ENDPOINT``); credentials from
    ``AMAN_EVIDENCE_S3_ACCESS_KEY`` / ``AMAN_EVIDENCE_S3_SECRET_KEY`` (or their ``_FILE``).
    Either way only ciphertext is stored.
    """
    if env.str("AMAN_EVIDENCE_STORAGE", default="local") == "s3":
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env.str("AMAN_EVIDENCE_S3_BUCKET"),
                "endpoint_url": env.str("AMAN_EVIDENCE_S3_ENDPOINT", default="") or None,
                "region_name": env.str("AMAN_EVIDENCE_S3_REGION", default="") or None,
                "access_key": secret("AMAN_EVIDENCE_S3_ACCESS_KEY", default="") or None,
                "secret_key": secret("AMAN_EVIDENCE_S3_SECRET_KEY", default="") or None,
                "location": env.str("AMAN_EVIDENCE_S3_PREFIX", default="evidence"),
                "default_acl": "private",
                "file_overwrite": False,
                "querystring_auth": True,
            },
        }
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.str("AMAN_EVIDENCE_DIR", default=str(base_dir / "var" / "evidence")),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
