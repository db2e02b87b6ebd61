from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("campaigns/<slug:slug>/letters/new/", views.letter_create, name="create"),
    path("letters/<int:pk>/", views.letter_preview, name="preview"),
    path("letters/<int:pk>/edit/", views.letter_edit, name="edit"),
    path("letters/<int:pk>/status/", views.letter_change_status, name="change_status"),
    path("letters/<int:pk>/versions/", views.letter_versions, name="versions"),
    path("letters/<int:pk>/versions/<int:old>/<int:new>/", views.letter_version_compare, name="compare"),
    path("letters/<int:pk>/versions/notify/", views.letter_notify_signers, name="notify_signers"),
    path("letters/<int:pk>/pdf/", views.letter_pdf, name="pdf"),
    path("letters/<int:pk>/pdf/render/", views.letter_pdf_render, name="pdf_render"),
    path("letters/<int:pk>/pdf/<int:rendering_pk>/status/", views.letter_pdf_status, name="pdf_status"),
    path("letters/<int:pk>/pdf/<int:rendering_pk>/download/", views.letter_pdf_download, name="pdf_download"),
    path("letters/<int:pk>/pdf/<int:rendering_pk>/email.eml", views.letter_pdf_eml, name="pdf_eml"),
    path("letters/<int:pk>/pdf/<int:rendering_pk>/send/", views.letter_pdf_send, name="pdf_send"),
    path("letters/<int:pk>/text/", views.letter_plain_text, name="text"),
]
