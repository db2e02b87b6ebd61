from django.contrib import admin

from .models import (
    NotSameOrganization,
    Organization,
    OrganizationAlias,
    OrganizationContact,
    OrganizationMerge,
    Signature,
)


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = ["name", "letter", "kind", "status", "is_lead", "source", "created_at"]
    list_filter = ["status", "kind", "is_lead", "source"]
    search_fields = ["name", "normalized_name", "email", "contact_name"]
    readonly_fields = ["normalized_name", "created_at", "updated_at"]
    raw_id_fields = ["letter", "organization", "merged_into", "letter_version"]

    def save_model(self, request, obj, form, change):
        obj.set_name(obj.name)
        super().save_model(request, obj, form, change)


class OrganizationAliasInline(admin.TabularInline):
    model = OrganizationAlias
    extra = 0
    readonly_fields = ["normalized_name"]


class OrganizationContactInline(admin.TabularInline):
    model = OrganizationContact
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "state", "scope", "merged_into"]
    list_filter = ["scope", "state"]
    search_fields = ["name", "acronym", "aliases__name"]
    raw_id_fields = ["merged_into"]
    inlines = [OrganizationAliasInline, OrganizationContactInline]


@admin.register(OrganizationAlias)
class OrganizationAliasAdmin(admin.ModelAdmin):
    list_display = ["name", "organization"]
    search_fields = ["name", "normalized_name"]
    raw_id_fields = ["organization"]


@admin.register(OrganizationContact)
class OrganizationContactAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "organization"]
    search_fields = ["name", "email"]
    raw_id_fields = ["organization"]


@admin.register(NotSameOrganization)
class NotSameOrganizationAdmin(admin.ModelAdmin):
    list_display = ["first", "second", "decided_by", "created_at"]
    raw_id_fields = ["first", "second"]


@admin.register(OrganizationMerge)
class OrganizationMergeAdmin(admin.ModelAdmin):
    list_display = ["merged", "survivor", "created_by", "created_at", "undone_at"]
    readonly_fields = ["moved", "created_at", "undone_at"]
    raw_id_fields = ["survivor", "merged"]
