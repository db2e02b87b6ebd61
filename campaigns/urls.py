from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<slug:slug>/", views.campaign_detail, name="detail"),
    path("<slug:slug>/report.csv", views.campaign_report_csv, name="report_csv"),
    path("<slug:slug>/report.pdf", views.campaign_report_pdf, name="report_pdf"),
    path("<slug:slug>/members/", views.campaign_members, name="members"),
    path(
        "<slug:slug>/members/<int:membership_id>/remove/", views.campaign_member_remove, name="member_remove"
    ),
    path("<slug:slug>/letters/<int:pk>/", views.letter_outcome, name="letter_outcome"),
    path("<slug:slug>/letters/<int:pk>/delivery/", views.delivery_record, name="delivery_record"),
    path("<slug:slug>/letters/<int:pk>/responses/new/", views.response_create, name="response_create"),
    path("<slug:slug>/letters/<int:pk>/follow-up/", views.follow_up_start, name="follow_up_start"),
    path("<slug:slug>/letters/<int:pk>/invite/", views.follow_up_invite, name="follow_up_invite"),
    path("<slug:slug>/responses/<int:response_id>/edit/", views.response_edit, name="response_edit"),
    path(
        "<slug:slug>/responses/<int:response_id>/document/", views.response_document, name="response_document"
    ),
]
