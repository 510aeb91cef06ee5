"""The production gunicorn settings: no client address in the access log, and each worker loads the
classifier and the hash-bank index before the first request needs them."""

import importlib.util
import threading
from pathlib import Path
from typing import Any

import pytest

from aman.hashbanks import matching
from aman.hashbanks.tests.factories import HashBankFactory, add_hash

CONF = Path(__file__).resolve().parents[3] / "config" / "gunicorn.conf.py"


def _conf() -> Any:
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_access_log_holds_no_client_address() -> None:
    conf = _conf()
    assert "%(h)s" not in conf.access_log_format and "%(a)s" not in conf.access_log_format
    assert "%(r)s" in conf.access_log_format and "%(s)s" in conf.access_log_format


@pytest.mark.django_db(transaction=True)
def test_a_new_worker_builds_the_hash_index_before_any_request(supervisor: Any) -> None:
    bank = HashBankFactory(name="warm")
    banked = [add_hash(bank) for _ in range(3)]
    matching.index_reset()
    assert matching._INDEX.index is None
    started = threading.enumerate()
    _conf().post_worker_init(worker=None)
    warmers = [t for t in threading.enumerate() if t not in started and t.name == "aman-warm-up"]
    assert len(warmers) == 1
    warmers[0].join(timeout=120)
    assert not warmers[0].is_alive()
    assert matching._INDEX.index is not None  # built by the warm-up, not by this test
    found = matching.hashbank_match(pdq=[banked[0].value])
    assert [m.hash_id for m in found] == [banked[0].pk]
    matching.index_reset()
