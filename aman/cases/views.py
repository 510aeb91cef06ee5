"""The staff console: queues, the case page and its actions. Views parse, call one service, render."""

from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aman.accounts.models import User
from aman.cases import services
from aman.cases.forms import AssignForm, FilterForm, TextForm, TransitionForm, TriageForm
from aman.cases.models import Case
from aman.cases.selectors import QUEUES, case_get_accessible, case_queue, case_timeline, queue_counts
from aman.cases.states import allowed_transitions
from aman.core.errors import DomainError
from aman.core.permissions import staff_required


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _case_or_404(request: HttpRequest, reference: str) -> Case:
    case = case_get_accessible(user=request.user, reference=reference)
    if case is None:
        raise Http404
    return case


@require_GET
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(case_queue(user=request.user, filters=filters), 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "cases/queue.html",
        {
            "form": form,
            "filters": filters,
            "queues": QUEUES,
            "counts": queue_counts(user=request.user),
            "page": page,
            "now": timezone.now(),
            "query_string": params.urlencode(),
        },
    )


@require_GET
@staff_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_or_404(request, reference)
    services.case_view_record(case=case, acting_user=_user(request))
    return _render_case(request, case)


def _render_case(request: HttpRequest, case: Case, status: int = 200, **forms: Any) -> HttpResponse:
    transitions = allowed_transitions(case.status)
    transition_form = forms.get("transition_form") or TransitionForm()
    status_field: Any = transition_form.fields["status"]
    status_field.choices = [c for c in status_field.choices if c[0] in transitions]
    context = {
        "case": case,
        "items": case.items.all(),
        "messages_list": case.messages.select_related("author"),
        "notes": case.notes.select_related("author"),
        "timeline": case_timeline(case=case),
        "triage_form": forms.get("triage_form")
        or TriageForm(
            initial={
                "category": case.category,
                "urgency": case.urgency,
                "minor_involved": case.minor_involved,
                "imminent_danger": case.imminent_danger,
                "self_harm": case.self_harm,
            }
        ),
        "assign_form": forms.get("assign_form") or AssignForm(initial={"assignee": case.assignee_id}),
        "transition_form": transition_form,
        "message_form": forms.get("message_form") or TextForm(prefix="message"),
        "note_form": forms.get("note_form") or TextForm(prefix="note"),
        "contact": forms.get("contact"),
        "now": timezone.now(),
    }
    return render(request, "cases/case.html", context, status=status)


def _done(request: HttpRequest, case: Case, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("cases:case", reference=case.reference)


def _failed(request: HttpRequest, case: Case, error: DomainError) -> HttpResponse:
    messages.error(request, str(error.message))
    return redirect("cases:case", reference=case.reference)


@require_POST
@staff_required
def case_triage(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_or_404(request, reference)
    form = TriageForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, status=400, triage_form=form)
    try:
        services.case_triage(case=case, acting_user=_user(request), **form.cleaned_data)  # type: ignore[arg-type]
    except DomainError as exc:
        return _failed(request, case, exc)
    return _done(request, case, _("Triage saved."))


@require_POST
@staff_required
def case_assign(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_or_404(request, reference)
    if request.POST.get("take") == "1":
        assignee = _user(request)
    else:
        form = AssignForm(request.POST)
        if not form.is_valid():
            return _render_case(request, case, status=400, assign_form=form)
        assignee = form.cleaned_data["assignee"]
    try:
        services.case_assign(case=case, assignee=assignee, acting_user=_user(request))
    except DomainError as exc:
        return _failed(request, case, exc)
    return _done(request, case, _("Assignment saved."))


@require_POST
@staff_required
def case_transition(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_or_404(request, reference)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, status=400, transition_form=form)
    try:
        services.case_transition(
            case=case,
            to_status=form.cleaned_data["status"],
            acting_user=_user(request),
            outcome=form.cleaned_data["outcome"],
            outcome_note=form.cleaned_data["outcome_note"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        return _failed(request, case, exc)
    return _done(request, case, _("Status changed."))


@require_POST
@staff_required
def case_message(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_or_404(request, reference)
    form = TextForm(request.POST, prefix="message")
    if not form.is_valid():
        return _render_case(request, case, status=400, message_form=form)
    try:
        services.case_message_send(
            case=case,
            body=form.cleaned_data["body"],
            acting_user=_user(request),
            wait_for_reply=form.cleaned_data["wait_for_reply"],
        )
    except DomainError as exc:
        return _failed(request, case, exc)
    return _done(request, case, _("Message sent. The reporter reads it with their code."))


@require_POST
@staff_required
def case_note(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_or_404(request, reference)
    form = TextForm(request.POST, prefix="note")
    if not form.is_valid():
        return _render_case(request, case, status=400, note_form=form)
    try:
        services.case_note_add(case=case, body=form.cleaned_data["body"], acting_user=_user(request))
    except DomainError as exc:
        return _failed(request, case, exc)
    return _done(request, case, _("Note added."))


@require_POST
@staff_required
def case_contact(request: HttpRequest, reference: str) -> HttpResponse:
    """Show the reporter's contact details once, on purpose; the viewing is audited."""
    case = _case_or_404(request, reference)
    method, value = services.case_contact_reveal(case=case, acting_user=_user(request))
    return _render_case(request, case, contact={"method": method, "value": value})
