from django.urls import path

from aman.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("follow-up/", views.follow_up, name="follow_up"),
    path("follow-up/case/", views.follow_up_case, name="follow_up_case"),
    path("follow-up/case/reply/", views.follow_up_reply, name="follow_up_reply"),
    path("follow-up/case/links/", views.follow_up_items, name="follow_up_items"),
    path("follow-up/case/evidence/", views.follow_up_evidence, name="follow_up_evidence"),
    path("follow-up/case/consent/", views.follow_up_consent, name="follow_up_consent"),
    path("follow-up/leave/", views.follow_up_leave, name="follow_up_leave"),
    path("lang/<str:code>/", views.set_language, name="set_language"),
]
