from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from django_ratelimit.decorators import ratelimit

from campaigns.forms import QueuedPasswordResetForm

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="campaigns:list", permanent=False)),
    path("admin/", admin.site.urls),
    # Guessing passwords or flooding inboxes from one address is cut short (403 past the rate).
    path(
        "accounts/login/",
        ratelimit(key="ip", rate="10/m", method="POST")(auth_views.LoginView.as_view()),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        ratelimit(key="ip", rate="5/h", method="POST")(
            auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm)
        ),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("", include("letters.urls")),
    path("", include("signatories.urls")),
]
# Uploaded and rendered files (MEDIA_ROOT) are never served by URL: views check membership first.
