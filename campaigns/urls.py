from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<slug:slug>/", views.campaign_detail, name="detail"),
    path("<slug:slug>/members/", views.campaign_members, name="members"),
    path(
        "<slug:slug>/members/<int:membership_id>/remove/", views.campaign_member_remove, name="member_remove"
    ),
]
