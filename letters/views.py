from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.views import _get_campaign_for_user
from signatories.services import (
    signatures_notify_of_new_text,
    signatures_on_older_text,
    signatures_to_notify,
)

from . import services
from .forms import LetterCreateForm, LetterForm, LetterFormSets
from .models import Letter
from .versions import compare


def _get_letter_for_user(request, pk, *, edit=False):
    """The letter if the user belongs to its campaign (404 otherwise); edit needs owner or editor."""
    letter = get_object_or_404(Letter.objects.visible_to(request.user).select_related("campaign"), pk=pk)
    if edit and not letter.campaign.can_edit(request.user):
        raise PermissionDenied
    return letter


@login_required
def letter_create(request, slug):
    campaign = _get_campaign_for_user(request, slug, role="edit")
    form = LetterCreateForm(request.POST or None)
    if form.is_valid():
        letter = services.letter_create(
            campaign=campaign, user=request.user, title=form.cleaned_data["title"]
        )
        return redirect("letters:edit", pk=letter.pk)
    return render(request, "letters/letter_create.html", {"campaign": campaign, "form": form})


@login_required
def letter_edit(request, pk):
    letter = _get_letter_for_user(request, pk, edit=True)
    data = request.POST if request.method == "POST" else None
    form = LetterForm(data, instance=letter)
    formsets = LetterFormSets(letter, data)
    if data is not None:
        if form.is_valid() & formsets.is_valid():  # & so both report their errors
            try:
                services.letter_save_draft(letter=letter, user=request.user, form=form, formsets=formsets)
            except services.LetterError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Letter saved."))
                return redirect("letters:edit", pk=letter.pk)
        else:
            messages.error(request, _("Nothing was saved yet: please correct the fields marked below."))
    return render(
        request,
        "letters/letter_edit.html",
        {"letter": letter, "form": form, "formsets": formsets},
    )


@login_required
def letter_preview(request, pk):
    letter = _get_letter_for_user(request, pk)
    signers = services.ListedSigners(letter)
    context = {
        "letter": letter,
        "signers": signers,
        "body": letter.rendered_body(signers.count),
        "can_edit": letter.campaign.can_edit(request.user),
        "next_statuses": [Letter.Status(s) for s in Letter.TRANSITIONS[letter.status]],
        "events": letter.events.select_related("actor")[:20],
    }
    return render(request, "letters/letter_preview.html", context)


@login_required
@require_POST
def letter_change_status(request, pk):
    letter = _get_letter_for_user(request, pk, edit=True)
    status = request.POST.get("status", "")
    if status not in Letter.Status.values:
        messages.error(request, _("Unknown status."))
    else:
        try:
            services.letter_change_status(letter=letter, user=request.user, status=status)
        except services.LetterError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Status changed to %(status)s.") % {"status": Letter.Status(status).label}
            )
    return redirect("letters:preview", pk=letter.pk)


@login_required
def letter_versions(request, pk):
    letter = _get_letter_for_user(request, pk)
    versions = list(letter.versions.select_related("created_by").annotate(signer_count=Count("signatures")))
    older = signatures_on_older_text(letter)
    context = {
        "letter": letter,
        "versions": versions,
        "older_signatures": older,
        "to_notify": signatures_to_notify(letter),
        "can_edit": letter.campaign.can_edit(request.user),
    }
    return render(request, "letters/letter_versions.html", context)


@login_required
def letter_version_compare(request, pk, old, new):
    letter = _get_letter_for_user(request, pk)
    old_version = get_object_or_404(letter.versions, number=old)
    new_version = get_object_or_404(letter.versions, number=new)
    context = {
        "letter": letter,
        "old": old_version,
        "new": new_version,
        "lines": compare(old_version.text, new_version.text),
    }
    return render(request, "letters/letter_version_compare.html", context)


@login_required
@require_POST
def letter_notify_signers(request, pk):
    letter = _get_letter_for_user(request, pk, edit=True)
    if letter.current_version() is None:
        messages.error(request, _("This letter has no text versions yet."))
    else:
        count = signatures_notify_of_new_text(letter=letter, user=request.user)
        messages.success(request, _("Emailed %(count)d signers about the new text.") % {"count": count})
    return redirect("letters:versions", pk=letter.pk)
