"""URLs of aman.hashbanks; the app owns its full paths (mounted at the site root)."""

from django.urls import URLPattern, URLResolver, path

from aman.hashbanks import views

app_name = "hashbanks"

urlpatterns: list[URLPattern | URLResolver] = [
    path("protect-my-image/", views.protect, name="protect"),
    path("protect-my-image/withdraw/", views.protect_withdraw, name="protect_withdraw"),
    path("console/hashbanks/", views.banks, name="banks"),
    path("console/hashbanks/lookup/", views.lookup, name="lookup"),
    path("console/hashbanks/<int:bank_id>/", views.bank_detail, name="bank"),
    path("console/hashbanks/<int:bank_id>/edit/", views.bank_edit, name="edit"),
    path("console/hashbanks/<int:bank_id>/add/", views.hash_add, name="add"),
    path("console/hashbanks/<int:bank_id>/import/", views.bank_import, name="import"),
    path("console/hashbanks/<int:bank_id>/export/", views.bank_export, name="export"),
    path("console/hashbanks/hashes/<int:hash_id>/withdraw/", views.hash_withdraw, name="withdraw"),
    path("console/hashbanks/hashes/<int:hash_id>/review/", views.hash_review, name="review"),
    path("console/hashbanks/cases/<str:reference>/", views.case_hashes, name="case_hashes"),
    path(
        "console/hashbanks/cases/<str:reference>/evidence/<int:item_id>/bank/",
        views.bank_evidence,
        name="bank_evidence",
    ),
]
