"""The hash endpoints: partners with scoped keys and staff tokens; strict, bounded input; audited."""

from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from aman.audit.models import AuditEvent
from aman.hashbanks import services
from aman.hashbanks.matching import index_reset
from aman.hashbanks.models import HashFeedback
from aman.hashbanks.tests.factories import HashBankFactory, add_hash, flip_bits, random_md5, random_pdq

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index():  # type: ignore[no-untyped-def]
    index_reset()
    yield
    index_reset()


@pytest.fixture
def world(supervisor: Any) -> dict[str, Any]:
    shared = HashBankFactory(name="shared")
    private = HashBankFactory(name="private")
    partner, key = services.partner_create(
        name="Partner hotline", banks=[shared], can_fetch=True, acting_user=supervisor
    )
    _limited, limited_key = services.partner_create(
        name="Match only", banks=[shared], can_feedback=False, acting_user=supervisor
    )
    return {
        "shared": shared,
        "private": private,
        "partner": partner,
        "key": key,
        "limited_key": limited_key,
        "a": add_hash(shared, user=supervisor),
        "b": add_hash(private, user=supervisor),
    }


def _partner(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def _staff(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_partner_matches_only_its_banks(world: dict[str, Any]) -> None:
    client = _partner(world["key"])
    near_a = flip_bits(world["a"].value, 10)
    response = client.post("/api/v1/hashes/match", {"pdq": [near_a, world["b"].value]}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [(m["query_index"], m["hash_id"], m["distance"]) for m in body["matches"]] == [(0, world["a"].pk, 10)]
    match = body["matches"][0]
    assert match["bank"]["name"] == "shared" and match["category"] == "ncii" and "added_at" in match
    assert body["counts"] == {"pdq": 2, "md5": 0, "matches": 1}
    event = AuditEvent.objects.filter(event_type="hashbank.matched").latest("sequence")
    assert event.actor_label == "partner:Partner hotline" and event.data["matches"] == 1
    assert world["a"].value not in str(event.data)


def test_staff_match_sees_every_active_bank(world: dict[str, Any], agent: Any) -> None:
    md5_row = add_hash(world["private"], random_md5(), signal_type="md5")
    response = _staff(agent).post(
        "/api/v1/hashes/match", {"pdq": [world["b"].value], "md5": [md5_row.value]}, format="json"
    )
    assert response.status_code == 200
    assert [(m["query_index"], m["hash_id"]) for m in response.json()["matches"]] == [
        (0, world["b"].pk),
        (1, md5_row.pk),
    ]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"pdq": ["0" * 63]}, "pdq"),
        ({"pdq": ["g" * 64]}, "pdq"),
        ({"pdq": ["<script>alert(1)</script>"]}, "pdq"),
        ({"pdq": ["\u202e" + "a" * 63]}, "pdq"),
        ({"pdq": ["a" * 64, "A" * 64]}, "pdq"),  # the same hash twice
        ({"md5": ["a" * 64]}, "md5"),
        ({"pdq": "a" * 64}, "pdq"),
        ({"pdq": [12]}, "pdq"),
        ({"pdq": [], "md5": []}, "non_field_errors"),
        ({}, "non_field_errors"),
        ({"pdq": ["a" * 64], "max_distance": 65}, "max_distance"),
        ({"pdq": ["a" * 64], "images": ["..."]}, "images"),
    ],
)
def test_match_refuses_bad_input_with_field_errors(world: dict[str, Any], body: dict[str, Any], field: str) -> None:
    before = AuditEvent.objects.count()
    response = _partner(world["key"]).post("/api/v1/hashes/match", body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "invalid" and field in response.json()["fields"]
    assert AuditEvent.objects.count() == before


def test_match_positions_of_bad_hashes_and_duplicates(world: dict[str, Any]) -> None:
    response = _partner(world["key"]).post("/api/v1/hashes/match", {"pdq": ["a" * 64, "bad", "a" * 64]}, format="json")
    fields = response.json()["fields"]["pdq"]
    assert set(fields) == {"1", "2"} and fields["2"][0]["code"] == "duplicate"


def test_match_bounded(world: dict[str, Any]) -> None:
    many = [f"{i:064x}" for i in range(1001)]
    response = _partner(world["key"]).post("/api/v1/hashes/match", {"pdq": many}, format="json")
    assert response.status_code in (400, 413)
    thousand = [f"{i:064x}" for i in range(1000)]
    assert _partner(world["key"]).post("/api/v1/hashes/match", {"pdq": thousand}, format="json").status_code == 200


def test_wrong_or_inactive_key_and_scopes(world: dict[str, Any]) -> None:
    assert _partner("amanhx_wrong").post("/api/v1/hashes/match", {"pdq": ["a" * 64]}, format="json").status_code == 401
    assert APIClient().post("/api/v1/hashes/match", {"pdq": ["a" * 64]}, format="json").status_code == 401
    limited = _partner(world["limited_key"])
    assert limited.get("/api/v1/hashes/fetch").status_code == 403
    feedback = {"hash_id": world["a"].pk, "verdict": "false_positive"}
    assert limited.post("/api/v1/hashes/feedback", feedback, format="json").status_code == 403
    world["partner"].active = False
    world["partner"].save()
    assert _partner(world["key"]).get("/api/v1/hashes/banks").status_code == 401


def test_fetch_since_checkpoint_with_withdrawals(world: dict[str, Any], supervisor: Any) -> None:
    client = _partner(world["key"])
    first = client.get("/api/v1/hashes/fetch?checkpoint=0&limit=1").json()
    assert [c["hash_id"] for c in first["changes"]] == [world["a"].pk] and first["changes"][0]["change"] == "add"
    cursor = first["next_checkpoint"]
    assert client.get(f"/api/v1/hashes/fetch?checkpoint={cursor}").json()["changes"] == []  # private bank unseen
    new = add_hash(world["shared"], user=supervisor)
    services.hash_withdraw(banked_hash=world["a"], reason="False positive", acting_user=supervisor)
    page = client.get(f"/api/v1/hashes/fetch?checkpoint={cursor}").json()
    assert [(c["change"], c["hash_id"]) for c in page["changes"]] == [("add", new.pk), ("withdraw", world["a"].pk)]
    assert page["has_more"] is False
    assert client.get("/api/v1/hashes/fetch?checkpoint=-1").status_code == 400
    assert client.get("/api/v1/hashes/fetch?checkpoint=abc").status_code == 400
    assert client.get("/api/v1/hashes/fetch?limit=100000").status_code == 400


def test_staff_fetch_needs_supervisor(world: dict[str, Any], agent: Any, supervisor: Any) -> None:
    assert _staff(agent).get("/api/v1/hashes/fetch").status_code == 403
    body = _staff(supervisor).get("/api/v1/hashes/fetch").json()
    assert {c["hash_id"] for c in body["changes"]} == {world["a"].pk, world["b"].pk}


def test_feedback_recorded_with_provenance(world: dict[str, Any]) -> None:
    client = _partner(world["key"])
    response = client.post(
        "/api/v1/hashes/feedback",
        {"hash_id": world["a"].pk, "verdict": "false_positive", "comment": "A logo \u202e<b>x</b>"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    feedback = HashFeedback.objects.get()
    assert feedback.partner == world["partner"] and feedback.verdict == "false_positive"
    assert "\u202e" not in feedback.comment
    hidden = client.post(
        "/api/v1/hashes/feedback", {"hash_id": world["b"].pk, "verdict": "true_positive"}, format="json"
    )
    assert hidden.status_code == 404
    bad = client.post("/api/v1/hashes/feedback", {"hash_id": world["a"].pk, "verdict": "maybe"}, format="json")
    assert bad.status_code == 400 and "verdict" in bad.json()["fields"]
    assert HashFeedback.objects.count() == 1


def test_banks_list(world: dict[str, Any], agent: Any) -> None:
    assert [b["name"] for b in _partner(world["key"]).get("/api/v1/hashes/banks").json()] == ["shared"]
    assert [b["name"] for b in _staff(agent).get("/api/v1/hashes/banks").json()] == ["private", "shared"]


def test_training_roles_are_refused(world: dict[str, Any]) -> None:
    from aman.accounts.tests.factories import UserFactory

    trainer = UserFactory(role="trainer", username="trainer1")
    assert _staff(trainer).post("/api/v1/hashes/match", {"pdq": [random_pdq()]}, format="json").status_code == 403


def test_each_partner_key_has_its_own_rate_limit(world: dict[str, Any], supervisor: Any) -> None:
    from aman.hashbanks.models import ExchangePartner

    ExchangePartner.objects.filter(pk=world["partner"].pk).update(rate_limit="3/minute")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {world['key']}")
    body = {"pdq": [random_pdq()]}
    for _ in range(3):
        assert client.post("/api/v1/hashes/match", body, format="json").status_code == 200
    audited = AuditEvent.objects.count()
    refused = client.post("/api/v1/hashes/match", body, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert refused.json()["code"] == "rate_limited" and "Trop de requêtes" in refused.json()["message"]
    assert client.get("/api/v1/hashes/fetch?checkpoint=0").status_code == 429  # every endpoint counts
    assert AuditEvent.objects.count() == audited  # a refused call is not served, nor audited
    # Another partner's key, and staff, are not held back by this one.
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {world['limited_key']}")
    assert other.post("/api/v1/hashes/match", body, format="json").status_code == 200
    staff = APIClient()
    staff.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=supervisor).key}")
    assert staff.post("/api/v1/hashes/match", body, format="json").status_code == 200


def test_the_default_partner_rate_applies_without_a_key_rate(world: dict[str, Any], settings: Any) -> None:
    settings.AMAN_HASHES_PARTNER_RATE = "2/hour"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {world['limited_key']}")
    assert client.get("/api/v1/hashes/banks").status_code == 200
    assert client.get("/api/v1/hashes/banks").status_code == 200
    refused = client.get("/api/v1/hashes/banks")
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
