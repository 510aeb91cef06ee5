import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aman.accounts.models import Role
from aman.accounts.tests.factories import UserFactory
from aman.cases import services
from aman.cases.selectors import CaseFilters, case_get_accessible, case_list_accessible, case_queue, queue_counts
from aman.cases.states import Status
from aman.cases.tests.factories import case_factory

pytestmark = pytest.mark.django_db


def test_agents_see_unassigned_and_their_own_cases_only(agent, other_agent, supervisor) -> None:  # type: ignore[no-untyped-def]
    free = case_factory()
    mine = case_factory()
    theirs = case_factory()
    services.case_assign(case=mine, assignee=agent, acting_user=agent)
    services.case_assign(case=theirs, assignee=other_agent, acting_user=other_agent)
    assert set(case_list_accessible(user=agent)) == {free, mine}
    assert case_get_accessible(user=agent, reference=theirs.reference) is None
    assert set(case_list_accessible(user=supervisor)) == {free, mine, theirs}


@pytest.mark.parametrize("kind", ["inactive", "no_role", "anonymous"])
def test_everyone_else_sees_nothing(kind: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    case_factory()
    user = {
        "inactive": lambda: UserFactory(role=Role.SUPERVISOR, is_active=False),
        "no_role": lambda: UserFactory(role=""),
        "anonymous": AnonymousUser,
    }[kind]()
    assert not case_list_accessible(user=user).exists()
    assert queue_counts(user=user) == dict.fromkeys(queue_counts(user=user), 0)


def test_queue_counts(agent, supervisor) -> None:  # type: ignore[no-untyped-def]
    a = case_factory(category="sextortion", age_band="13_17")  # critical
    b = case_factory()
    c = case_factory()
    services.case_assign(case=b, assignee=agent, acting_user=agent)
    services.case_triage(
        case=c,
        category="other",
        urgency="low",
        minor_involved=False,
        imminent_danger=False,
        self_harm=False,
        acting_user=supervisor,
    )
    services.case_message_send(case=c, body="?", acting_user=supervisor, wait_for_reply=True)
    counts = queue_counts(user=agent)
    assert counts["unassigned"] == 2 and counts["mine"] == 1
    assert counts["urgent"] == 1 and counts["waiting"] == 1 and counts["all"] == 3
    assert counts["sla"] >= 1  # the critical case is due within the hour
    assert a.status == Status.NEW


@pytest.mark.parametrize(
    "query",
    ["احمد", "أحمد", "أَحْمَد", "AHMED_FAKE", "@ahmed_fake", "instagram.com/ahmed"],
)
def test_search_matches_arabic_letter_variants_handles_and_links(supervisor, query: str) -> None:  # type: ignore[no-untyped-def]
    hit = case_factory(
        description="حساب مزيف باسم إحمد يبتز صديقتي",
        items=[("handle", "@ahmed_fake"), ("url", "https://instagram.com/ahmed_fake")],
    )
    hit.description = "حساب مزيف باسم أحمد يبتز صديقتي"
    services.case_refresh_search_text(case=hit)
    case_factory(description="رسالة أخرى لا علاقة لها", items=[])
    found = list(case_queue(user=supervisor, filters=CaseFilters(queue="all", q=query)))
    assert found == [hit]


def test_search_by_reference_and_filters(supervisor) -> None:  # type: ignore[no-untyped-def]
    a = case_factory(platforms=["tiktok"], category="impersonation")
    case_factory(platforms=["facebook"])
    assert list(case_queue(user=supervisor, filters=CaseFilters(q=a.reference.lower()))) == [a]
    assert list(case_queue(user=supervisor, filters=CaseFilters(platform="tiktok"))) == [a]
    assert list(case_queue(user=supervisor, filters=CaseFilters(category="impersonation"))) == [a]


def test_queue_page_query_count_does_not_grow_with_cases(client, supervisor) -> None:  # type: ignore[no-untyped-def]
    client.force_login(supervisor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/console/?queue=all").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        case_factory()
    few = queries()
    for _ in range(25):
        services.case_assign(case=case_factory(), assignee=supervisor, acting_user=supervisor)
    assert queries() == few


def test_case_page_query_count_does_not_grow_with_messages(client, supervisor) -> None:  # type: ignore[no-untyped-def]
    client.force_login(supervisor)
    case = case_factory()

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/console/cases/{case.reference}/").status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for i in range(10):
        services.case_message_send(case=case, body=f"m{i}", acting_user=supervisor)
        services.case_note_add(case=case, body=f"n{i}", acting_user=supervisor)
    assert queries() == few
