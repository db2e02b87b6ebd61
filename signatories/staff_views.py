"""Staff pages for a letter's signatures: the table, moderation, adding, importing and exporting.

Members of the letter's campaign see these pages; changes need an owner or editor (403 for viewers);
anyone else gets a 404 from the letter lookup.
"""

import secrets
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import Lower
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from letters.views import _get_letter_for_user

from . import csv_import, services
from .csv_export import signatures_csv
from .models import Signature
from .staff_forms import (
    ColumnMappingForm,
    ImportUploadForm,
    RenameForm,
    SignatureFilterForm,
    SignerPasteForm,
    staff_sign_form_class,
)

PAGE_SIZE = 100
IMPORT_SESSION_KEY = "signature_import"
PREVIEW_OK_ROWS = 100  # rows to import shown in the preview; every row with a problem is shown


def _signatures(letter):
    return letter.signatures.select_related("letter_version").order_by(
        "-is_lead", "lead_position", Lower("name"), "id"
    )


def _filtered(request, letter):
    form = SignatureFilterForm(request.GET)
    form.is_valid()  # invalid filters show their error and are not applied
    return form, form.filter(_signatures(letter))


@login_required
def signature_list(request, pk):
    letter = _get_letter_for_user(request, pk)
    form, signatures = _filtered(request, letter)
    counts = dict(letter.signatures.values_list("status").annotate(n=Count("id")).order_by())
    context = {
        "letter": letter,
        "form": form,
        "page": Paginator(signatures, PAGE_SIZE).get_page(request.GET.get("page")),
        "status_counts": [(status, counts.get(status, 0)) for status in Signature.Status],
        "total": sum(counts.values()),
        "can_edit": letter.campaign.can_edit(request.user),
        "approvable": services.MODERATION["approve"][0],
        "rejectable": services.MODERATION["reject"][0],
    }
    return render(request, "signatories/staff_list.html", context)


@login_required
def signature_export(request, pk):
    letter = _get_letter_for_user(request, pk)
    _form, signatures = _filtered(request, letter)
    filename, content_type, content = signatures_csv(letter, signatures)
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _back_to_list(request, letter):
    """Back to the table with the filters and page the action was taken from."""
    url = reverse("signatories:staff_list", args=[letter.pk])
    back = request.POST.get("next", "")
    if back.startswith(url) and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(url)


# action: (the service call, the message once done)
ACTIONS = {
    "approve": (partial(services.signature_moderate, action="approve"), gettext_lazy("Approved %(name)s.")),
    "reject": (partial(services.signature_moderate, action="reject"), gettext_lazy("Rejected %(name)s.")),
    "hide": (
        partial(services.signature_set_hidden, hidden=True),
        gettext_lazy("%(name)s is hidden from the letter."),
    ),
    "show": (
        partial(services.signature_set_hidden, hidden=False),
        gettext_lazy("%(name)s is shown on the letter again."),
    ),
    "lead": (
        partial(services.signature_set_lead, is_lead=True),
        gettext_lazy("%(name)s is now a lead organization."),
    ),
    "unlead": (
        partial(services.signature_set_lead, is_lead=False),
        gettext_lazy("%(name)s is no longer a lead organization."),
    ),
}


@login_required
@require_POST
def signature_action(request, pk, signature_id, action):
    letter = _get_letter_for_user(request, pk, edit=True)
    if action not in ACTIONS:
        raise Http404
    signature = get_object_or_404(letter.signatures, pk=signature_id)
    change, message = ACTIONS[action]
    try:
        change(signature=signature, user=request.user)
    except services.SignatureError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message % {"name": signature.name})
    return _back_to_list(request, letter)


@login_required
def signature_rename(request, pk, signature_id):
    letter = _get_letter_for_user(request, pk, edit=True)
    signature = get_object_or_404(letter.signatures, pk=signature_id)
    old = signature.name
    form = RenameForm(request.POST or None, initial={"name": old})
    if form.is_valid():
        try:
            services.signature_rename(signature=signature, user=request.user, name=form.cleaned_data["name"])
        except services.SignatureError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("Renamed %(old)s to %(new)s.") % {"old": old, "new": signature.name})
            return redirect("signatories:staff_list", pk=letter.pk)
    context = {"letter": letter, "signature": signature, "old_name": old, "form": form}
    return render(request, "signatories/staff_rename.html", context)


@login_required
def signature_add(request, pk):
    letter = _get_letter_for_user(request, pk, edit=True)
    kind = request.POST.get("kind") or request.GET.get("as")
    kind = Signature.Kind.INDIVIDUAL if kind == Signature.Kind.INDIVIDUAL else Signature.Kind.ORGANIZATION
    form = staff_sign_form_class(kind)(request.POST or None, letter=letter)
    if form.is_valid():
        try:
            signature = services.signature_add_by_staff(
                letter=letter, user=request.user, signature=form.save(commit=False)
            )
        except services.SignatureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Added %(name)s.") % {"name": signature.name})
            return redirect("signatories:staff_list", pk=letter.pk)
    return render(request, "signatories/staff_add.html", {"letter": letter, "form": form, "kind": kind})


@login_required
def signature_paste(request, pk):
    letter = _get_letter_for_user(request, pk, edit=True)
    form = SignerPasteForm(request.POST or None)
    if form.is_valid():
        added, skipped = services.signers_add_by_staff(
            letter=letter, user=request.user, names=form.cleaned_data["names"]
        )
        messages.success(
            request,
            _("Added %(added)d signers; %(skipped)d already on the letter were skipped.")
            % {"added": len(added), "skipped": len(skipped)},
        )
        return redirect("signatories:staff_list", pk=letter.pk)
    return render(request, "signatories/staff_paste.html", {"letter": letter, "form": form})


# Import: upload, choose the columns, preview, confirm. Nothing is saved before the confirm POST. --------


def _stored_import(request, letter, upload_id):
    """The uploaded table kept in the session for this letter and upload, or None."""
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored or stored["letter"] != letter.pk or not upload_id or stored["id"] != upload_id:
        return None
    return stored


def _import_expired(request, letter):
    messages.error(request, _("That upload is no longer available; please upload the file again."))
    return redirect("signatories:staff_import", pk=letter.pk)


@login_required
def signature_import(request, pk):
    letter = _get_letter_for_user(request, pk, edit=True)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        upload_id = secrets.token_urlsafe(12)
        # One import per session at a time; a new upload replaces the last one.
        request.session[IMPORT_SESSION_KEY] = {
            "letter": letter.pk,
            "id": upload_id,
            "filename": form.cleaned_data["file"].name,
            **form.table.as_session(),
        }
        url = reverse("signatories:staff_import_map", args=[letter.pk])
        return redirect(f"{url}?upload={upload_id}")
    return render(request, "signatories/staff_import.html", {"letter": letter, "form": form})


@login_required
def signature_import_map(request, pk):
    letter = _get_letter_for_user(request, pk, edit=True)
    stored = _stored_import(request, letter, request.GET.get("upload"))
    if stored is None:
        return _import_expired(request, letter)
    table = csv_import.Table.from_session(stored)
    guessed = csv_import.guess_mapping(table.header)
    initial = {"upload": stored["id"], **{name: str(index) for name, index in guessed.items()}}
    # Back from the preview: the columns chosen there.
    initial |= {name: request.GET[name] for name in csv_import.FIELDS if name in request.GET}
    form = ColumnMappingForm(initial=initial, header=table.header)
    return _render_mapping(request, letter, stored, form, nothing_guessed=not guessed)


def _render_mapping(request, letter, stored, form, **context):
    context |= {
        "letter": letter,
        "form": form,
        "stored": stored,
        "header": stored["header"],
        "sample": [cells for _number, cells in stored["rows"][:5]],
        "row_count": len(stored["rows"]),
    }
    return render(request, "signatories/staff_import_map.html", context)


def _mapped_rows(request, letter, data):
    """(form, stored upload, mapped rows) from the mapping in data; rows is None if the form is invalid."""
    stored = _stored_import(request, letter, data.get("upload"))
    if stored is None:
        return None, None, None
    table = csv_import.Table.from_session(stored)
    form = ColumnMappingForm(data, header=table.header)
    if not form.is_valid():
        return form, stored, None
    return form, stored, csv_import.map_rows(table, form.mapping())


@login_required
def signature_import_preview(request, pk):
    letter = _get_letter_for_user(request, pk, edit=True)
    form, stored, rows = _mapped_rows(request, letter, request.GET)
    if stored is None:
        return _import_expired(request, letter)
    if rows is None:
        return _render_mapping(request, letter, stored, form)
    summary = csv_import.signatures_preview(letter=letter, rows=rows)
    context = {
        "letter": letter,
        "form": form,
        "stored": stored,
        "summary": summary,
        "problems": [check for check in summary.checks if check.outcome != check.OK],
        "ok_shown": summary.ok[:PREVIEW_OK_ROWS],
        "fields": [(name, label) for name, (label, _aliases) in csv_import.FIELDS.items()],
        "map_url": reverse("signatories:staff_import_map", args=[letter.pk]) + "?" + request.GET.urlencode(),
    }
    return render(request, "signatories/staff_import_preview.html", context)


@login_required
@require_POST
def signature_import_confirm(request, pk):
    letter = _get_letter_for_user(request, pk, edit=True)
    form, stored, rows = _mapped_rows(request, letter, request.POST)
    if rows is None:
        return _import_expired(request, letter)
    try:
        summary = csv_import.signatures_import(letter=letter, user=request.user, rows=rows)
    except services.SignatureError as error:
        messages.error(request, str(error))
        query = request.POST.copy()
        query.pop("csrfmiddlewaretoken", None)
        url = reverse("signatories:staff_import_preview", args=[letter.pk])
        return redirect(f"{url}?{query.urlencode()}")
    del request.session[IMPORT_SESSION_KEY]
    messages.success(
        request,
        _(
            "Imported %(imported)d; skipped %(duplicates)d duplicates; "
            "%(errors)d rows with errors were not imported."
        )
        % {"imported": len(summary.ok), "duplicates": len(summary.duplicates), "errors": len(summary.errors)},
    )
    return redirect("signatories:staff_list", pk=letter.pk)
