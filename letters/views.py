from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.views import _get_campaign_for_user
from signatories.services import (
    signatures_notify_of_new_text,
    signatures_on_older_text,
    signatures_to_notify,
)

from . import services
from .email_export import letter_email, letter_text
from .forms import LetterCreateForm, LetterForm, LetterFormSets
from .models import Letter, Rendering
from .pdf import pdf_filename
from .rendering import RenderingError, delivery_request, rendering_file, rendering_request
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
    form = LetterForm(data, request.FILES if data is not None else None, instance=letter)
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


# The final letter: the PDF rendered by a worker, the email draft, the plain text.


def _get_rendering(letter, rendering_pk, *, done=False):
    renderings = letter.renderings.select_related("version", "requested_by")
    if done:
        renderings = renderings.filter(status=Rendering.Status.DONE)
    return get_object_or_404(renderings, pk=rendering_pk)


@login_required
def letter_pdf(request, pk):
    letter = _get_letter_for_user(request, pk)
    renderings = list(letter.renderings.select_related("version", "requested_by")[:50])
    context = {
        "letter": letter,
        "renderings": renderings,
        "latest": renderings[0] if renderings else None,
        "current": Rendering.objects.current_for(letter),
        "deliveries": letter.deliveries.select_related("sent_by", "rendering")[:20],
        "can_edit": letter.campaign.can_edit(request.user),
        "recipient_emails": [r.email for r in letter.recipients.all() if r.email],
    }
    return render(request, "letters/letter_pdf.html", context)


@login_required
@require_POST
def letter_pdf_render(request, pk):
    letter = _get_letter_for_user(request, pk, edit=True)
    rendering, created = rendering_request(letter=letter, user=request.user)
    if not created and rendering.status == Rendering.Status.DONE:
        messages.info(request, _("Nothing changed since this PDF was made, so it was not rendered again."))
    return redirect("letters:pdf", pk=letter.pk)


@login_required
def letter_pdf_status(request, pk, rendering_pk):
    """Polled by static/js/render.js while a PDF is queued or rendering."""
    letter = _get_letter_for_user(request, pk)
    rendering = _get_rendering(letter, rendering_pk)
    data = {
        "id": rendering.pk,
        "status": rendering.status,
        "status_label": rendering.get_status_display(),
        "finished": rendering.status in Rendering.FINISHED,
        "error": rendering.error,
    }
    if rendering.status == Rendering.Status.DONE:
        data["download_url"] = reverse("letters:pdf_download", args=[letter.pk, rendering.pk])
        data["eml_url"] = reverse("letters:pdf_eml", args=[letter.pk, rendering.pk])
        data["page_count"] = rendering.page_count
    return JsonResponse(data)


@login_required
def letter_pdf_download(request, pk, rendering_pk):
    letter = _get_letter_for_user(request, pk)
    rendering = _get_rendering(letter, rendering_pk, done=True)
    return FileResponse(
        rendering.file.open("rb"),
        as_attachment=True,
        filename=pdf_filename(letter, rendering.version),
        content_type="application/pdf",
    )


@login_required
def letter_pdf_eml(request, pk, rendering_pk):
    """An unsent email (.eml) to the recipients with the PDF attached, to send from a mail program."""
    letter = _get_letter_for_user(request, pk)
    rendering = _get_rendering(letter, rendering_pk, done=True)
    _filename, _type, content = rendering_file(rendering=rendering)
    email = letter_email(rendering=rendering, content=content)
    response = HttpResponse(email.eml_draft(), content_type="message/rfc822")
    filename = pdf_filename(letter, rendering.version).removesuffix(".pdf") + ".eml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def letter_plain_text(request, pk):
    """The letter as plain text, shown in the browser to copy into an email body."""
    letter = _get_letter_for_user(request, pk)
    response = HttpResponse(letter_text(letter), content_type="text/plain; charset=utf-8")
    filename = pdf_filename(letter).removesuffix(".pdf") + ".txt"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_POST
def letter_pdf_send(request, pk, rendering_pk):
    letter = _get_letter_for_user(request, pk, edit=True)
    rendering = _get_rendering(letter, rendering_pk)
    try:
        delivery = delivery_request(rendering=rendering, user=request.user)
    except RenderingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The letter is being emailed to %(to)s.") % {"to": ", ".join(delivery.to)}
        )
    return redirect("letters:pdf", pk=letter.pk)
