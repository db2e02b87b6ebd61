from django.contrib import admin

from .models import Ask, CarbonCopy, Contact, Letter, LetterEvent, Recipient


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
