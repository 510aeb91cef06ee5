"""The training dashboard: workshops and participants by governorate, month, audience and language;
trainer activity; knowledge gained (pre/post quiz); feedback. Server-rendered SVG bars and CSV.

A fixed number of queries whatever the data size: workshops are read once with their participant
counts and grouped in Python; trainers, quiz scores and feedback are one grouped query each.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from aman.audit.events import EventType
from aman.audit.services import audit_record
from aman.core.spreadsheet import csv_safe
from aman.training.forms import DashboardFilterForm
from aman.training.models import Audience, Feedback, Language, QuizResponse, Region, Trainer, Workshop
from aman.training.permissions import manager_required


@dataclass
class Table:
    key: str
    title: str | Promise
    headers: list[str | Promise]
    rows: list[list[Any]] = field(default_factory=list)
    chart_column: int = 1  # which column the bar chart shows

    @property
    def chart(self) -> SafeString:
        return bar_chart([(str(r[0]), float(r[self.chart_column] or 0)) for r in self.rows])


def bar_chart(rows: list[tuple[str, float]], width: int = 640) -> SafeString:
    """Horizontal bars as inline SVG (no script, no style attribute: CSP-safe), mirrored for RTL."""
    if not rows:
        return mark_safe("")
    rtl = translation.get_language_bidi()
    bar_h, gap, label_w = 22, 8, 230
    top = max(value for _, value in rows) or 1
    height = len(rows) * (bar_h + gap)
    plot = width - label_w - 60
    parts = []
    for i, (label, value) in enumerate(rows):
        y = i * (bar_h + gap)
        length = max(1, round(plot * value / top)) if value else 0
        shown = f"{value:g}"
        if rtl:
            bar_x, label_x, anchor = width - label_w - length, width - 8, "start"
            value_x, value_anchor = bar_x - 6, "end"
        else:
            bar_x, label_x, anchor = label_w, label_w - 8, "end"
            value_x, value_anchor = label_w + length + 6, "start"
        parts.append(
            (y, bar_x, length, bar_h, label_x, y + bar_h * 0.7, anchor, label[:40], value_x, value_anchor, shown)
        )
    body = format_html_join(
        "",
        '<g><rect x="{}" y="{}" width="{}" height="{}" fill="#0b6e69"></rect>'
        '<text x="{}" y="{}" text-anchor="{}" direction="{}" font-size="13" fill="#1d2327">{}</text>'
        '<text x="{}" y="{}" text-anchor="{}" font-size="12" fill="#5a6470">{}</text></g>',
        (
            (bx, y, ln, bh, lx, ty, anchor, "rtl" if rtl else "ltr", label, vx, ty, va, shown)
            for (y, bx, ln, bh, lx, ty, anchor, label, vx, va, shown) in parts
        ),
    )
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img">{}</svg>',
        width,
        height,
        body,
    )


def _pct(score: int | None, total: int | None) -> float:
    return round(100.0 * (score or 0) / total, 1) if total else 0.0


def training_dashboard(*, user: Any, filters: dict[str, Any]) -> list[Table]:
    """Role-scoped (managers and admins; anyone else gets nothing)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.can_manage_training:
        return []
    language = translation.get_language() or "ar"
    workshop_q = Q()
    if filters.get("programme"):
        workshop_q &= Q(programme=filters["programme"])
    if filters.get("country"):
        workshop_q &= Q(region__country=filters["country"])
    if filters.get("since"):
        workshop_q &= Q(date__gte=filters["since"])
    if filters.get("until"):
        workshop_q &= Q(date__lte=filters["until"])

    workshops = list(
        Workshop.objects.filter(workshop_q)
        .values("id", "date", "region_id", "audience", "language")
        .annotate(
            registered=Count("participants", distinct=True),
            present=Count("participants", filter=Q(participants__present=True), distinct=True),
        )
    )
    regions = {r.pk: r for r in Region.objects.filter(pk__in={w["region_id"] for w in workshops})}
    audiences, languages = dict(Audience.choices), dict(Language.choices)

    def group(key: Any, label: Any) -> list[list[Any]]:
        totals: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0])
        for w in workshops:
            t = totals[key(w)]
            t[0] += 1
            t[1] += w["registered"]
            t[2] += w["present"]
        return [[label(k), *v] for k, v in sorted(totals.items(), key=lambda kv: (-kv[1][0], str(kv[0])))]

    headers: list[str | Promise] = [_("Workshops"), _("Registered"), _("Present")]
    tables = [
        Table(
            "region",
            gettext_lazy("By governorate or region"),
            [_("Governorate or region"), *headers],
            group(lambda w: w["region_id"], lambda k: regions[k].label_for(language)),
        ),
        Table(
            "month",
            gettext_lazy("By month"),
            [_("Month"), *headers],
            sorted(group(lambda w: w["date"].strftime("%Y-%m"), str)),
        ),
        Table(
            "audience",
            gettext_lazy("By audience"),
            [_("Audience"), *headers],
            group(lambda w: w["audience"], lambda k: str(audiences.get(k, k))),
        ),
        Table(
            "language",
            gettext_lazy("By language"),
            [_("Language"), *headers],
            group(lambda w: w["language"], lambda k: str(languages.get(k, k))),
        ),
    ]
    tables[1].rows.sort(key=lambda r: r[0])

    trainer_filter = Q(workshops__in=[w["id"] for w in workshops]) if workshop_q else Q()
    trainer_rows = (
        Trainer.objects.values("display_name")
        .annotate(
            n_workshops=Count("workshops", filter=trainer_filter, distinct=True),
            n_participants=Count(
                "workshops__participants",
                filter=trainer_filter & Q(workshops__participants__present=True),
                distinct=True,
            ),
        )
        .order_by("-n_workshops", "display_name")[:50]
    )
    tables.append(
        Table(
            "trainers",
            gettext_lazy("Trainer activity"),
            [_("Trainer"), _("Workshops"), _("Participants present")],
            [[t["display_name"], t["n_workshops"], t["n_participants"]] for t in trainer_rows],
        )
    )

    quiz = (
        QuizResponse.objects.filter(participant__workshop__in=[w["id"] for w in workshops])
        .values("participant__workshop__audience", "phase")
        .annotate(score=Sum("score"), total=Sum("total"), n=Count("id"))
    )
    by_audience: dict[str, dict[str, Any]] = defaultdict(dict)
    for row in quiz:
        by_audience[row["participant__workshop__audience"]][row["phase"]] = row
    knowledge = []
    for audience, phases in sorted(by_audience.items()):
        pre, post = phases.get("pre", {}), phases.get("post", {})
        pre_pct, post_pct = _pct(pre.get("score"), pre.get("total")), _pct(post.get("score"), post.get("total"))
        knowledge.append(
            [
                str(audiences.get(audience, audience)),
                round(post_pct - pre_pct, 1),
                pre_pct,
                post_pct,
                pre.get("n", 0),
                post.get("n", 0),
            ]
        )
    tables.append(
        Table(
            "knowledge",
            gettext_lazy("Knowledge gained (quiz, percentage points)"),
            [_("Audience"), _("Gain"), _("Before (%)"), _("After (%)"), _("Answers before"), _("Answers after")],
            knowledge,
        )
    )

    feedback = (
        Feedback.objects.filter(workshop__in=[w["id"] for w in workshops])
        .values("workshop__audience")
        .annotate(
            n=Count("id"), overall=Avg("overall"), useful=Avg("useful"), recommend=Count("id", filter=Q(recommend=True))
        )
        .order_by("workshop__audience")
    )
    tables.append(
        Table(
            "feedback",
            gettext_lazy("Feedback"),
            [_("Audience"), _("Overall (1-5)"), _("Useful (1-5)"), _("Would recommend (%)"), _("Answers")],
            [
                [
                    str(audiences.get(f["workshop__audience"], f["workshop__audience"])),
                    round(f["overall"] or 0, 2),
                    round(f["useful"] or 0, 2),
                    round(100.0 * f["recommend"] / f["n"], 1) if f["n"] else 0,
                    f["n"],
                ]
                for f in feedback
            ],
        )
    )
    return tables


@require_GET
@manager_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    tables = training_dashboard(user=request.user, filters=filters)
    if request.GET.get("format") == "csv":
        audit_record(
            event_type=EventType.TRAINING_EXPORTED,
            actor=request.user,
            data={"filters": sorted(k for k, v in filters.items() if v)},
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="training-dashboard.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        for table in tables:
            writer.writerow([csv_safe(str(table.title))])
            writer.writerow([csv_safe(str(h)) for h in table.headers])
            for row in table.rows:
                writer.writerow([csv_safe(c) for c in row])
            writer.writerow([])
        return response
    params = request.GET.copy()
    params["format"] = "csv"
    return render(request, "training/dashboard.html", {"form": form, "tables": tables, "csv_query": params.urlencode()})
