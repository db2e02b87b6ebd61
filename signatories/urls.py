from django.urls import path

from . import views

app_name = "signatories"

urlpatterns = [
    path("sign/<uuid:public_id>/", views.sign, name="sign"),
    path("sign/<uuid:public_id>/thanks/", views.thanks, name="thanks"),
    path("sign/<uuid:public_id>/resend/", views.resend, name="resend"),
    path("signature/confirm/<str:token>/", views.confirm, name="confirm"),
    path("signature/manage/<str:token>/", views.manage, name="manage"),
    path("signature/withdraw/<str:token>/", views.withdraw, name="withdraw"),
    path("signature/review/<str:token>/", views.review_change, name="review_change"),
]
