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
]
