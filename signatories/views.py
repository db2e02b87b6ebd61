"""Public sign-on pages: no login; letters are found by their random public id, signers by signed links."""

import functools
import html

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from campaigns import invitations
from letters.models import Delivery, Letter
from letters.pdf import pdf_filename
from letters.services import ListedSigners

from . import services, tokens
from .forms import sign_form_class
from .models import Signature

SUBMIT_RATE = "20/h"  # per IP: enough for a coalition office behind one address, not for a flood
PENDING_SESSION_KEY = "pending_signature"


def _get_public_letter(public_id):
    """A letter that is or was open for sign-on; drafts are never public."""
    letter = get_object_or_404(
        # Prefetched: the page reads the recipients twice (addresses, then the salutation).
        Letter.objects.select_related("campaign").prefetch_related("recipients", "asks", "contacts", "cc"),
        public_id=public_id,
    )
    if not letter.is_public():
        raise Http404
    return letter


def _get_signature_by_token(token, purpose):
    try:
        signature_id, letter_public_id = tokens.read_token(token, purpose)
    except tokens.BadToken:
        return None
    return (
        Signature.objects.select_related("letter", "letter__campaign")
        .filter(pk=signature_id, letter__public_id=letter_public_id)
        .first()
    )


def _signature_from_link(*purposes):
    """View decorator: the signature a signed link names (for any of the purposes), else a 400 page."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, token):
            for purpose in purposes:
                signature = _get_signature_by_token(token, purpose)
                if signature is not None:
                    return view(request, signature, token)
            return render(request, "signatories/link_invalid.html", status=400)

        return wrapper

    return decorator


def _letter_context(letter):
    signers = ListedSigners(letter)
    body = letter.rendered_body(signers.count)
    # Plain text (not the safe body) so that autoescaping protects the <meta> attributes.
    summary = Truncator(html.unescape(strip_tags(body))).words(40)
    return {"letter": letter, "signers": signers, "body": body, "summary": summary}


@ratelimit(key="ip", rate=SUBMIT_RATE, method="POST", block=False)
def sign(request, public_id):
    letter = _get_public_letter(public_id)
    kind = request.POST.get("kind") or request.GET.get("as") or Signature.Kind.ORGANIZATION
    if kind != Signature.Kind.INDIVIDUAL or not letter.allow_individuals:
        kind = Signature.Kind.ORGANIZATION
    # An invitation to a follow-up letter fills in the details given on the earlier one.
    initial = invitations.prefill(request.GET.get("invite", ""), letter) if request.method == "GET" else None
    form = sign_form_class(kind)(request.POST or None, letter=letter, initial=initial)
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            messages.error(
                request, _("Too many signatures from your network in the last hour; try again later.")
            )
            status = 429
        elif not letter.is_taking_signatures():
            messages.error(request, _("This letter is no longer taking signatures."))
            status = 409
        elif form.is_bot():
            return redirect("signatories:thanks", public_id=letter.public_id)
        elif form.is_valid():
            try:
                signature, duplicate = services.signature_submit(letter=letter, signature=form.instance)
            except services.SignatureError as error:
                messages.error(request, str(error))
            else:
                request.session[PENDING_SESSION_KEY] = None if duplicate else signature.pk
                return redirect("signatories:thanks", public_id=letter.public_id)
    context = {**_letter_context(letter), "form": form, "kind": kind}
    return render(request, "signatories/sign.html", context, status=status)


def sent_pdf(request, public_id):
    """The PDF as it was last delivered, once the letter is sent: the link its signers are emailed."""
    letter = _get_public_letter(public_id)
    delivery = letter.deliveries.filter(status=Delivery.Status.SENT).select_related("rendering").first()
    if letter.status != Letter.Status.SENT or delivery is None:
        raise Http404
    rendering = delivery.rendering
    return FileResponse(
        rendering.file.open("rb"),
        content_type="application/pdf",
        filename=pdf_filename(letter, rendering.version),
    )


def thanks(request, public_id):
    letter = _get_public_letter(public_id)
    return render(request, "signatories/thanks.html", {"letter": letter})


@require_POST
@ratelimit(key="ip", rate=SUBMIT_RATE, method="POST", block=False)
def resend(request, public_id):
    letter = _get_public_letter(public_id)
    signature = letter.signatures.filter(pk=request.session.get(PENDING_SESSION_KEY)).first()
    if signature and not getattr(request, "limited", False):
        services.signature_resend_confirmation(signature=signature)
    # The same answer whatever happened: the page must not reveal who has signed.
    messages.info(request, _("If a confirmation was waiting, we sent the link again (a few times at most)."))
    return redirect("signatories:thanks", public_id=letter.public_id)


@_signature_from_link(tokens.CONFIRM)
def confirm(request, signature, token):
    if request.method == "POST":
        try:
            signature = services.signature_confirm_email(signature=signature)
        except services.SignatureError as error:
            messages.error(request, str(error))
        else:
            return render(
                request, "signatories/confirmed.html", {"signature": signature, "letter": signature.letter}
            )
    # Mail scanners follow links: only the button's POST confirms.
    return render(request, "signatories/confirm.html", {"signature": signature, "letter": signature.letter})


@_signature_from_link(tokens.MANAGE)
def manage(request, signature, token):
    letter = signature.letter
    form = sign_form_class(signature.kind)(
        request.POST or None, instance=signature, letter=letter, editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.signature_update_by_signer(signature=signature, form=form)
        except services.SignatureError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your signature is updated."))
            return redirect("signatories:manage", token=token)
    context = {"signature": signature, "letter": letter, "form": form, "token": token}
    return render(request, "signatories/manage.html", context)


@require_POST
@_signature_from_link(tokens.MANAGE, tokens.REVIEW_CHANGE)
def withdraw(request, signature, token):
    try:
        services.signature_withdraw(signature=signature)
    except services.SignatureError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your signature is withdrawn; it no longer appears on the letter."))
    return redirect(reverse("signatories:sign", args=[signature.letter.public_id]))


@_signature_from_link(tokens.REVIEW_CHANGE)
def review_change(request, signature, token):
    """A signer reads the letter's new text and keeps or withdraws their signature."""
    if request.method == "POST":
        try:
            services.signature_reconfirm(signature=signature)
        except services.SignatureError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you: your signature stands on the new text."))
            return redirect("signatories:sign", public_id=signature.letter.public_id)
    context = {**_letter_context(signature.letter), "signature": signature, "token": token}
    return render(request, "signatories/review_change.html", context)
