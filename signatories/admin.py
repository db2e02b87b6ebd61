from django.contrib import admin

from .models import Signature


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = ["name", "letter", "kind", "status", "is_lead", "source", "created_at"]
    list_filter = ["status", "kind", "is_lead", "source"]
    search_fields = ["name", "normalized_name"]
    readonly_fields = ["normalized_name", "created_at"]

    def save_model(self, request, obj, form, change):
        obj.set_name(obj.name)
        super().save_model(request, obj, form, change)
