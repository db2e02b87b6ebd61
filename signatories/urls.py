from django.urls import path

from . import directory_views, staff_views, views

app_name = "signatories"

urlpatterns = [
    path("sign/<uuid:public_id>/", views.sign, name="sign"),
    path("sign/<uuid:public_id>/thanks/", views.thanks, name="thanks"),
    path("sign/<uuid:public_id>/letter.pdf", views.sent_pdf, name="sent_pdf"),
    path("sign/<uuid:public_id>/resend/", views.resend, name="resend"),
    path("signature/confirm/<str:token>/", views.confirm, name="confirm"),
    path("signature/manage/<str:token>/", views.manage, name="manage"),
    path("signature/withdraw/<str:token>/", views.withdraw, name="withdraw"),
    path("signature/review/<str:token>/", views.review_change, name="review_change"),
    # Staff pages (login; members of the letter's campaign)
    path("letters/<int:pk>/signatures/", staff_views.signature_list, name="staff_list"),
    path("letters/<int:pk>/signatures.csv", staff_views.signature_export, name="staff_export"),
    path("letters/<int:pk>/signatures/add/", staff_views.signature_add, name="staff_add"),
    path("letters/<int:pk>/signatures/paste/", staff_views.signature_paste, name="staff_paste"),
    path("letters/<int:pk>/signatures/import/", staff_views.signature_import, name="staff_import"),
    path(
        "letters/<int:pk>/signatures/import/map/", staff_views.signature_import_map, name="staff_import_map"
    ),
    path(
        "letters/<int:pk>/signatures/import/preview/",
        staff_views.signature_import_preview,
        name="staff_import_preview",
    ),
    path(
        "letters/<int:pk>/signatures/import/confirm/",
        staff_views.signature_import_confirm,
        name="staff_import_confirm",
    ),
    path(
        "letters/<int:pk>/signatures/<int:signature_id>/rename/",
        staff_views.signature_rename,
        name="staff_rename",
    ),
    path(
        "letters/<int:pk>/signatures/<int:signature_id>/<slug:action>/",
        staff_views.signature_action,
        name="staff_action",
    ),
    path("directory/", directory_views.directory_list, name="directory"),
    path("directory/duplicates/", directory_views.directory_duplicates, name="directory_duplicates"),
    path("directory/merge/", directory_views.organization_merge, name="merge"),
    path("directory/not-same/", directory_views.organization_not_same, name="not_same"),
    path("directory/merges/<int:merge_id>/undo/", directory_views.merge_undo, name="merge_undo"),
    path("directory/<int:pk>/", directory_views.directory_detail, name="directory_detail"),
    path("letters/<int:pk>/duplicates/", directory_views.letter_duplicates, name="letter_duplicates"),
]
