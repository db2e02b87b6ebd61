from django.contrib import admin

from .models import (
    Ask,
    CarbonCopy,
    Contact,
    Delivery,
    Letter,
    LetterEvent,
    LetterVersion,
    Recipient,
    Rendering,
)


class RecipientInline(admin.StackedInline):
    model = Recipient
    extra = 0


class AskInline(admin.StackedInline):
    model = Ask
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class CarbonCopyInline(admin.TabularInline):
    model = CarbonCopy
    extra = 0


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "status", "date", "updated_at"]
    list_filter = ["status", "campaign"]
    search_fields = ["title", "subject"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    inlines = [RecipientInline, AskInline, ContactInline, CarbonCopyInline]


@admin.register(LetterEvent)
class LetterEventAdmin(admin.ModelAdmin):
    list_display = ["letter", "action", "actor", "created_at"]
    list_filter = ["action"]
    readonly_fields = ["letter", "actor", "action", "data", "created_at"]


for model in (Recipient, Ask, Contact, CarbonCopy):
    admin.site.register(model)


@admin.register(LetterVersion)
class LetterVersionAdmin(admin.ModelAdmin):
    list_display = ["letter", "number", "created_by", "created_at"]
    readonly_fields = ["letter", "number", "text", "created_by", "created_at"]


@admin.register(Rendering)
class RenderingAdmin(admin.ModelAdmin):
    list_display = ["letter", "status", "signer_count", "requested_by", "created_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in Rendering._meta.fields]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["letter", "method", "status", "created_at", "sent_at"]
    list_filter = ["method", "status"]
    raw_id_fields = ["letter", "rendering"]
