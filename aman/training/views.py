"""Training pages: the manager's and trainer's console, public registration, feedback and verification.

Views parse input, call one service and render. Objects are found through role-scoped
selectors; anything out of reach is a 404.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aman.accounts.models import User
from aman.core import ratelimit
from aman.core.errors import DomainError
from aman.core.middleware import client_token
from aman.training import selectors, services
from aman.training.forms import (
    AssignTrainersForm,
    FeedbackForm,
    ImportForm,
    ProgrammeForm,
    QuizForm,
    RegionForm,
    RegistrationForm,
    TrainerCreateForm,
    TrainerForm,
    WorkshopForm,
)
from aman.training.imports import parse_participants
from aman.training.models import BatchStatus, Certificate, QuizPhase, Workshop
from aman.training.permissions import manager_required, training_required


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _workshop_or_404(request: HttpRequest, workshop_id: int, *, manage: bool = False) -> Workshop:
    get = selectors.workshop_get_managed if manage else selectors.workshop_get_accessible
    workshop = get(user=request.user, workshop_id=workshop_id)
    if workshop is None:
        raise Http404
    return workshop


def _public_limit(request: HttpRequest, scope: str) -> bool:
    count, window = ratelimit.parse_rate(getattr(settings, "AMAN_TRAINING_PUBLIC_RATE", "60/hour"))
    return ratelimit.hit(scope=f"training-{scope}", ident=client_token(request), limit=count, window_seconds=window)


# --- Home, programmes, workshops -------------------------------------------------------------


@require_GET
@training_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    workshops = selectors.workshop_list_accessible(user=user)
    return render(
        request,
        "training/home.html",
        {
            "programmes": selectors.programme_list(user=user)[:50],
            "upcoming": workshops.filter(date__gte=today).order_by("date", "id")[:50],
            "past": workshops.filter(date__lt=today).order_by("-date", "id")[:50],
        },
    )


@require_http_methods(["GET", "POST"])
@manager_required
def programme_create(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = services.programme_save(acting_user=_user(request), data=form.cleaned_data)
        messages.success(request, _("Programme saved."))
        return redirect("training:programme", programme_id=programme.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "training/form.html", {"form": form, "title": _("New programme")}, status=status)


@require_http_methods(["GET", "POST"])
@manager_required
def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = selectors.programme_get(user=request.user, programme_id=programme_id)
    if programme is None:
        raise Http404
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        services.programme_save(acting_user=_user(request), data=form.cleaned_data, programme=programme)
        messages.success(request, _("Programme saved."))
        return redirect("training:programme", programme_id=programme.pk)
    workshops = selectors.workshop_list_accessible(user=request.user).filter(programme=programme).order_by("-date")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "training/programme.html",
        {"programme": programme, "form": form, "workshops": workshops},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@manager_required
def workshop_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = selectors.programme_get(user=request.user, programme_id=programme_id)
    if programme is None:
        raise Http404
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workshop = services.workshop_save(acting_user=_user(request), data=form.cleaned_data, programme=programme)
        messages.success(request, _("Workshop saved."))
        return redirect("training:workshop", workshop_id=workshop.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "training/form.html",
        {"form": form, "title": _("New workshop"), "subtitle": programme.name},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@manager_required
def workshop_edit(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = _workshop_or_404(request, workshop_id, manage=True)
    form = WorkshopForm(request.POST or None, instance=workshop)
    if request.method == "POST" and form.is_valid():
        services.workshop_save(acting_user=_user(request), data=form.cleaned_data, workshop=workshop)
        messages.success(request, _("Workshop saved."))
        return redirect("training:workshop", workshop_id=workshop.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "training/form.html",
        {"form": form, "title": _("Edit workshop"), "subtitle": workshop.title},
        status=status,
    )


@require_GET
@training_required
def workshop_detail(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = _workshop_or_404(request, workshop_id)
    user = _user(request)
    participants = selectors.participant_list(user=user, workshop=workshop)
    return render(
        request,
        "training/workshop.html",
        {
            "workshop": workshop,
            "participants": participants,
            "trainers": workshop.trainers.all(),
            "assign_form": AssignTrainersForm(initial={"trainers": list(workshop.trainers.all())})
            if user.can_manage_training
            else None,
            "registration_url": request.build_absolute_uri(f"/training/register/{workshop.registration_token}/"),
            "feedback_url": request.build_absolute_uri(f"/training/feedback/{workshop.feedback_token}/"),
            "batches": workshop.certificate_batches.all()[:5] if user.can_manage_training else [],
            "present_count": sum(1 for p in participants if p.present),
        },
    )


@require_POST
@manager_required
def workshop_trainers(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = _workshop_or_404(request, workshop_id, manage=True)
    form = AssignTrainersForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose trainers from the list."))
        return redirect("training:workshop", workshop_id=workshop.pk)
    services.workshop_trainers_assign(
        workshop=workshop, trainers=list(form.cleaned_data["trainers"]), acting_user=_user(request)
    )
    messages.success(request, _("Trainers assigned."))
    return redirect("training:workshop", workshop_id=workshop.pk)


# --- Participants: import ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@manager_required
def workshop_import(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = _workshop_or_404(request, workshop_id, manage=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            form.add_error("file", _("The file is too large (2 MB at most)."))
        else:
            report = parse_participants(name=upload.name or "", data=upload.read(2 * 1024 * 1024 + 1))
            if report.ok:
                try:
                    count = services.participants_import(
                        workshop=workshop, rows=report.rows, acting_user=_user(request)
                    )
                except DomainError as exc:
                    form.add_error(None, str(exc.message))
                else:
                    messages.success(request, _("Participants imported: %(count)d.") % {"count": count})
                    return redirect("training:workshop", workshop_id=workshop.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "training/import.html",
        {"workshop": workshop, "form": form, "report": report, "consent_version": services.CONSENT_VERSION},
        status=status,
    )


# --- Attendance (offline-first on the phone; a plain form without JavaScript) -----------------


@require_http_methods(["GET", "POST"])
@training_required
def attendance(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = _workshop_or_404(request, workshop_id)
    participants = list(selectors.participant_list(user=request.user, workshop=workshop))
    if request.method == "POST":
        present = set(request.POST.getlist("present"))
        now = timezone.now()
        marks = [
            services.Mark(client_id=uuid.uuid4(), participant_id=p.pk, present=str(p.pk) in present, marked_at=now)
            for p in participants
            if (str(p.pk) in present) != bool(p.present) or p.present is None
        ]
        services.attendance_sync(workshop=workshop, marks=marks, acting_user=_user(request))
        messages.success(request, _("Attendance saved."))
        return redirect("training:attendance", workshop_id=workshop.pk)
    return render(request, "training/attendance.html", {"workshop": workshop, "participants": participants})


def _parse_marks(payload: Any) -> list[services.Mark] | None:
    if not isinstance(payload, dict) or not isinstance(payload.get("marks"), list):
        return None
    raw = payload["marks"]
    if len(raw) > services.MAX_MARKS_PER_SYNC:
        return None
    marks = []
    for item in raw:
        if not isinstance(item, dict):
            return None
        try:
            client_id = uuid.UUID(str(item.get("id", ""))[:64])
            participant_id = int(item.get("participant"))  # type: ignore[arg-type]
        except (ValueError, TypeError):
            return None
        present = item.get("present")
        at = parse_datetime(str(item.get("at", ""))[:40]) if item.get("at") else None
        if not isinstance(present, bool) or at is None or participant_id <= 0 or participant_id > 2**62:
            return None
        if timezone.is_naive(at):
            return None
        marks.append(services.Mark(client_id=client_id, participant_id=participant_id, present=present, marked_at=at))
    return marks


@require_POST
@training_required
def attendance_sync(request: HttpRequest, workshop_id: int) -> JsonResponse:
    workshop = _workshop_or_404(request, workshop_id)
    if len(request.body) > 256 * 1024:
        return JsonResponse({"code": "too_large", "message": _("Too many marks at once.")}, status=413)
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        payload = None
    marks = _parse_marks(payload)
    if marks is None:
        return JsonResponse({"code": "invalid", "message": _("The attendance data could not be read.")}, status=400)
    result = services.attendance_sync(workshop=workshop, marks=marks, acting_user=_user(request))
    return JsonResponse({"accepted": result.accepted, "rejected": result.rejected, "stored": result.stored})


# --- Quiz ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@training_required
def quiz(request: HttpRequest, workshop_id: int, phase: str) -> HttpResponse:
    if phase not in QuizPhase.values:
        raise Http404
    workshop = _workshop_or_404(request, workshop_id)
    participants = selectors.participant_list(user=request.user, workshop=workshop).exclude(quiz_responses__phase=phase)
    form = QuizForm(request.POST or None, participants=participants, language=workshop.language)
    if request.method == "POST" and form.is_valid():
        try:
            services.quiz_record(
                participant=form.cleaned_data["participant"],
                phase=phase,
                answers=form.answers(),
                acting_user=_user(request),
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Answers saved. Next participant."))
            return redirect("training:quiz", workshop_id=workshop.pk, phase=phase)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "training/quiz.html",
        {"workshop": workshop, "form": form, "phase": QuizPhase(phase), "quiz_language": workshop.language},
        status=status,
    )


# --- Certificates --------------------------------------------------------------------------------


@require_GET
@manager_required
def participant_certificate(request: HttpRequest, participant_id: int) -> HttpResponse:
    from aman.training.certificates import certificate_pdf

    participant = selectors.participant_get_managed(user=request.user, participant_id=participant_id)
    if participant is None:
        raise Http404
    if not participant.present:
        messages.error(request, _("Certificates are only made for participants marked present."))
        return redirect("training:workshop", workshop_id=participant.workshop_id)
    certificate = services.certificate_issue(participant=participant)
    certificate.participant = participant
    services.certificate_download_record(certificate=certificate, acting_user=_user(request))
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


@require_POST
@manager_required
def certificate_revoke(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = selectors.participant_get_managed(user=request.user, participant_id=participant_id)
    certificate = Certificate.objects.filter(participant=participant).first() if participant else None
    if participant is None or certificate is None:
        raise Http404
    services.certificate_revoke(certificate=certificate, acting_user=_user(request))
    messages.success(request, _("Certificate revoked: the verification page now shows it is not valid."))
    return redirect("training:workshop", workshop_id=participant.workshop_id)


@require_POST
@manager_required
def certificates_generate(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = _workshop_or_404(request, workshop_id, manage=True)
    batch = services.certificate_batch_request(workshop=workshop, acting_user=_user(request))
    return redirect("training:batch", batch_id=batch.pk)


@require_GET
@manager_required
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    job = selectors.batch_get(user=request.user, batch_id=batch_id)
    if job is None:
        raise Http404
    running = job.status in (BatchStatus.PENDING, BatchStatus.RUNNING)
    return render(request, "training/batch.html", {"batch": job, "running": running})


@require_GET
@manager_required
def batch_download(request: HttpRequest, batch_id: int) -> FileResponse:
    job = selectors.batch_get(user=request.user, batch_id=batch_id)
    if job is None or job.status != BatchStatus.DONE or not job.zip_name:
        raise Http404
    return FileResponse(
        default_storage.open(job.zip_name, "rb"),
        as_attachment=True,
        filename=f"certificates-workshop-{job.workshop_id}.zip",
        content_type="application/zip",
    )


# --- Trainers and regions ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@manager_required
def trainers(request: HttpRequest) -> HttpResponse:
    form = TrainerCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        username, password = data.pop("username"), data.pop("password")
        services.trainer_save(acting_user=_user(request), data=data, username=username, password=password)
        messages.success(request, _("Trainer saved."))
        return redirect("training:trainers")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "training/trainers.html",
        {"form": form, "trainers": selectors.trainer_list(user=request.user)},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@manager_required
def trainer_edit(request: HttpRequest, trainer_id: int) -> HttpResponse:
    trainer = selectors.trainer_get(user=request.user, trainer_id=trainer_id)
    if trainer is None:
        raise Http404
    form = TrainerForm(request.POST or None, instance=trainer)
    if request.method == "POST" and form.is_valid():
        services.trainer_save(acting_user=_user(request), data=form.cleaned_data, trainer=trainer)
        messages.success(request, _("Trainer saved."))
        return redirect("training:trainers")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "training/form.html",
        {"form": form, "title": _("Trainer"), "subtitle": trainer.display_name},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@manager_required
def regions(request: HttpRequest) -> HttpResponse:
    form = RegionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.region_save(acting_user=_user(request), data=form.cleaned_data)
        messages.success(request, _("Governorate or region saved."))
        return redirect("training:regions")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "training/regions.html",
        {"form": form, "regions": selectors.region_list(user=request.user), "language": translation.get_language()},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@manager_required
def region_edit(request: HttpRequest, region_id: int) -> HttpResponse:
    region = selectors.region_get(user=request.user, region_id=region_id)
    if region is None:
        raise Http404
    form = RegionForm(request.POST or None, instance=region)
    if request.method == "POST" and form.is_valid():
        services.region_save(acting_user=_user(request), data=form.cleaned_data, region=region)
        messages.success(request, _("Governorate or region saved."))
        return redirect("training:regions")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "training/form.html",
        {"form": form, "title": _("Governorate or region"), "subtitle": region.name_en},
        status=status,
    )


# --- Public pages ------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, token: str) -> HttpResponse:
    workshop = selectors.workshop_by_registration_token(token=token)
    if workshop is None:
        raise Http404
    language = translation.get_language() or "ar"
    context: dict[str, Any] = {"workshop": workshop, "region": workshop.region.label_for(language)}
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        if not _public_limit(request, "register"):
            form.add_error(None, _("Too many registrations from this connection. Please wait a little and try again."))
        elif form.is_valid():
            try:
                services.participant_register(
                    workshop=workshop, full_name=form.cleaned_data["full_name"], email=form.cleaned_data["email"]
                )
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                return render(request, "training/registered.html", context)
        return render(request, "training/register.html", {**context, "form": form}, status=400)
    return render(request, "training/register.html", {**context, "form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, token: str) -> HttpResponse:
    workshop = selectors.workshop_by_feedback_token(token=token)
    if workshop is None:
        raise Http404
    form = FeedbackForm(request.POST or None)
    if request.method == "POST":
        if not _public_limit(request, "feedback"):
            form.add_error(None, _("Too many answers from this connection. Please wait a little and try again."))
        elif form.is_valid():
            services.feedback_submit(workshop=workshop, **form.cleaned_data)
            return render(request, "training/feedback_thanks.html", {"workshop": workshop})
        return render(request, "training/feedback.html", {"workshop": workshop, "form": form}, status=400)
    return render(request, "training/feedback.html", {"workshop": workshop, "form": form})


@never_cache
@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    if not _public_limit(request, "verify"):
        return render(request, "training/verify.html", {"rate_limited": True}, status=429)
    certificate = selectors.certificate_verify(code=code)
    if certificate is None:
        return render(request, "training/verify.html", {"found": False}, status=404)
    participant = certificate.participant
    return render(
        request,
        "training/verify.html",
        {
            "found": True,
            "valid": certificate.is_valid,
            "name": participant.full_name,
            "workshop_title": participant.workshop.title,
            "date": participant.workshop.date,
        },
    )
