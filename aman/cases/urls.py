from django.urls import path

from aman.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("cases/<str:reference>/", views.case_detail, name="case"),
    path("cases/<str:reference>/triage/", views.case_triage, name="triage"),
    path("cases/<str:reference>/assign/", views.case_assign, name="assign"),
    path("cases/<str:reference>/status/", views.case_transition, name="transition"),
    path("cases/<str:reference>/messages/", views.case_message, name="message"),
    path("cases/<str:reference>/notes/", views.case_note, name="note"),
    path("cases/<str:reference>/contact/", views.case_contact, name="contact"),
]
