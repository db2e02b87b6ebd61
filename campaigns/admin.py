from django.contrib import admin

from .models import (
    AskPosition,
    Campaign,
    FollowUp,
    FollowUpInvitation,
    Membership,
    OutgoingEmail,
    Response,
    SentNotice,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["campaign", "user", "role"]
    list_filter = ["role"]
    search_fields = ["campaign__name", "user__username", "user__email"]
    autocomplete_fields = ["user", "campaign"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "status", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    readonly_fields = ["created_at", "sent_at"]


class AskPositionInline(admin.TabularInline):
    model = AskPosition
    extra = 0
    raw_id_fields = ["ask"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["letter", "received_on", "from_whom", "recorded_by", "created_at"]
    list_filter = ["received_on"]
    search_fields = ["letter__title", "from_whom", "summary"]
    raw_id_fields = ["letter", "recorded_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AskPositionInline]


@admin.register(AskPosition)
class AskPositionAdmin(admin.ModelAdmin):
    list_display = ["response", "ask", "position"]
    list_filter = ["position"]
    raw_id_fields = ["response", "ask"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["follow_up", "original", "created_by", "created_at"]
    raw_id_fields = ["original", "follow_up", "created_by"]
    readonly_fields = ["created_at"]


@admin.register(FollowUpInvitation)
class FollowUpInvitationAdmin(admin.ModelAdmin):
    list_display = ["follow_up", "signature", "status", "created_at", "sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["follow_up", "signature", "invited_by"]
    readonly_fields = ["created_at", "sent_at"]


@admin.register(SentNotice)
class SentNoticeAdmin(admin.ModelAdmin):
    list_display = ["letter", "signature", "status", "created_at", "sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["letter", "signature"]
    readonly_fields = ["created_at", "sent_at"]
