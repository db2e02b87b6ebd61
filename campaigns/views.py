import logging
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from letters.pdf_sandbox import RenderError

from . import overview, report, services
from .forms import (
    CampaignForm,
    DeliveryForm,
    FollowUpForm,
    MembershipForm,
    ResponseForm,
    formset_positions,
    position_formset,
)
from .models import AskPosition, Campaign, FollowUp, Membership, Response, SentNotice
from .summary import positions_sentence
from .uploads import response_document_content_type

logger = logging.getLogger(__name__)


def _get_campaign_for_user(request, slug, *, role=None):
    """The campaign if the user belongs to it (404 otherwise); with role, that role is required."""
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), slug=slug)
    if role == "edit" and not campaign.can_edit(request.user):
        raise PermissionDenied
    if role == "owner" and campaign.role_of(request.user) != Membership.Role.OWNER:
        raise PermissionDenied
    return campaign


@login_required
def campaign_list(request):
    campaigns = Campaign.objects.visible_to(request.user).annotate(letter_count=Count("letters"))
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


@login_required
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    if form.is_valid():
        campaign = services.campaign_create(user=request.user, **form.cleaned_data)
        return redirect("campaigns:detail", slug=campaign.slug)
    return render(request, "campaigns/campaign_form.html", {"form": form})


def _get_letter_for_user(request, slug, pk, *, edit=False):
    """A letter of the campaign, through the campaign's access check; edit needs owner or editor."""
    campaign = _get_campaign_for_user(request, slug, role="edit" if edit else None)
    letter = get_object_or_404(campaign.letters, pk=pk)
    letter.campaign = campaign
    return letter


def _get_response_for_user(request, slug, response_id, *, edit=False):
    campaign = _get_campaign_for_user(request, slug, role="edit" if edit else None)
    response = get_object_or_404(Response.objects.filter(letter__campaign=campaign), pk=response_id)
    response.letter.campaign = campaign
    return response


@login_required
def campaign_detail(request, slug):
    campaign = _get_campaign_for_user(request, slug)
    letters = overview.campaign_letters(campaign)
    latest = overview.latest_responses(letters)
    for letter in letters:
        letter.latest_response = latest.get(letter.pk)
    context = {
        "campaign": campaign,
        "letters": letters,
        "scoreboard": overview.scoreboard(letters, latest),
        "timeline": overview.timeline(campaign, letters),
        "positions": AskPosition.Position,
        "can_edit": campaign.can_edit(request.user),
    }
    return render(request, "campaigns/campaign_detail.html", context)


@login_required
def campaign_report_csv(request, slug):
    campaign = _get_campaign_for_user(request, slug)
    filename, content_type, content = report.report_csv(campaign)
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@login_required
def campaign_members(request, slug):
    campaign = _get_campaign_for_user(request, slug, role="owner")
    form = MembershipForm(request.POST or None)
    if form.is_valid():
        try:
            services.membership_set(
                campaign=campaign, user=form.cleaned_data["user"], role=form.cleaned_data["role"]
            )
        except services.CampaignError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Membership saved."))
            return redirect("campaigns:members", slug=slug)
    memberships = campaign.memberships.select_related("user").order_by("user__username")
    return render(
        request, "campaigns/members.html", {"campaign": campaign, "memberships": memberships, "form": form}
    )


@login_required
@require_POST
def campaign_member_remove(request, slug, membership_id):
    campaign = _get_campaign_for_user(request, slug, role="owner")
    membership = get_object_or_404(campaign.memberships, pk=membership_id)
    try:
        services.membership_remove(membership=membership)
    except services.CampaignError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Member removed."))
    return redirect("campaigns:members", slug=slug)


@login_required
def campaign_report_pdf(request, slug):
    campaign = _get_campaign_for_user(request, slug)
    try:
        filename, content_type, content = report.report_pdf(campaign)
    except RenderError as error:
        logger.warning("Campaign report PDF of %s failed: %s", campaign.pk, error)
        messages.error(request, _("The PDF report could not be made; the CSV report has everything."))
        return redirect("campaigns:detail", slug=slug)
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# A letter's delivery, responses and follow-ups


def _outcome_url(letter, anchor=""):
    return reverse("campaigns:letter_outcome", args=[letter.campaign.slug, letter.pk]) + anchor


@login_required
def letter_outcome(request, slug, pk):
    letter = _get_letter_for_user(request, slug, pk)
    asks = list(letter.asks.all())
    responses = list(letter.responses.select_related("recorded_by").prefetch_related("positions__ask"))
    for response in responses:
        response.counts = response.position_counts(len(asks))
        response.sentence = positions_sentence(response.counts, subject=response.from_whom)
        response.count_items = [(position, response.counts[position]) for position in AskPosition.Position]
    follows = FollowUp.objects.filter(follow_up=letter).select_related("original").first()
    deliveries = list(letter.deliveries.select_related("rendering__version", "sent_by"))
    told = dict(
        SentNotice.objects.filter(letter=letter).values_list("status").annotate(n=Count("id")).order_by()
    )
    context = {
        "deliveries": deliveries,
        "sent_on": report.sent_on(letter, deliveries),
        "notices_sent": told.get(SentNotice.Status.SENT, 0),
        "notices_queued": told.get(SentNotice.Status.QUEUED, 0),
        "campaign": letter.campaign,
        "letter": letter,
        "asks": asks,
        "responses": responses,
        "signer_count": letter.signatures.listed().count(),
        "follows": follows,
        "invitations": follows.invitations.count() if follows else 0,
        "follow_ups": letter.follow_ups.select_related("follow_up"),
        "can_edit": letter.campaign.can_edit(request.user),
    }
    return render(request, "campaigns/letter_outcome.html", context)


def _response_page(request, letter, response):
    """The form to record or correct a response: its details and one position per ask."""
    asks = list(letter.asks.all())
    data = request.POST if request.method == "POST" else None
    initial = None if response.pk else {"received_on": timezone.localdate()}
    form = ResponseForm(data, request.FILES or None, instance=response, initial=initial)
    formset = position_formset(asks, data, response=response)
    if data is not None and form.is_valid() & formset.is_valid():  # & so both report their errors
        details = {name: form.cleaned_data[name] for name in ["received_on", "from_whom", "link", "summary"]}
        details["document"] = form.document_change()
        try:
            if response.pk:
                services.response_update(
                    response=response, user=request.user, positions=formset_positions(formset), **details
                )
            else:
                response = services.response_record(
                    letter=letter, user=request.user, positions=formset_positions(formset), **details
                )
        except services.CampaignError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Response saved."))
            return redirect(_outcome_url(letter, f"#response-{response.pk}"))
    context = {
        "letter": letter,
        "campaign": letter.campaign,
        "form": form,
        "formset": formset,
        "response": response,
    }
    return render(request, "campaigns/response_form.html", context)


@login_required
def response_create(request, slug, pk):
    letter = _get_letter_for_user(request, slug, pk, edit=True)
    if letter.status != letter.Status.SENT:
        messages.error(request, _("Only a sent letter can have a response: record its delivery first."))
        return redirect(_outcome_url(letter))
    return _response_page(request, letter, Response(letter=letter))


@login_required
def response_edit(request, slug, response_id):
    response = _get_response_for_user(request, slug, response_id, edit=True)
    return _response_page(request, response.letter, response)


@login_required
def response_document(request, slug, response_id):
    """The uploaded response, to campaign members only; stored under a random name, sent as a download."""
    response = _get_response_for_user(request, slug, response_id)
    if not response.document:
        raise Http404
    name = f"response-{response.received_on:%Y-%m-%d}{PurePosixPath(response.document.name).suffix}"
    return FileResponse(
        response.document.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=response_document_content_type(response.document.name),
    )


@login_required
def delivery_record(request, slug, pk):
    letter = _get_letter_for_user(request, slug, pk, edit=True)
    form = DeliveryForm(request.POST or None, letter=letter)
    if form.is_valid():
        try:
            services.letter_record_delivery(
                letter=letter,
                user=request.user,
                rendering=form.cleaned_data["rendering"],
                method=form.cleaned_data["method"],
                delivered_on=form.cleaned_data["delivered_on"],
                to_whom=form.cleaned_data["to_whom"],
                notes=form.cleaned_data["notes"],
            )
        except services.CampaignError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Delivery recorded: the letter is sent and its signers are being told.")
            )
            return redirect(_outcome_url(letter, "#deliveries"))
    context = {"letter": letter, "campaign": letter.campaign, "form": form}
    return render(request, "campaigns/delivery_form.html", context)


@login_required
def follow_up_start(request, slug, pk):
    letter = _get_letter_for_user(request, slug, pk, edit=True)
    form = FollowUpForm(
        request.POST or None, initial={"title": _("Follow-up: %(title)s") % {"title": letter.title}}
    )
    if form.is_valid():
        try:
            follow_up = services.letter_start_follow_up(
                letter=letter, user=request.user, title=form.cleaned_data["title"]
            )
        except services.CampaignError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Follow-up started: edit its text, then open it for sign-on."))
            return redirect("letters:edit", pk=follow_up.pk)
    return render(
        request,
        "campaigns/follow_up_start.html",
        {"letter": letter, "campaign": letter.campaign, "form": form},
    )


@login_required
@require_POST
def follow_up_invite(request, slug, pk):
    letter = _get_letter_for_user(request, slug, pk, edit=True)
    follow_up = get_object_or_404(FollowUp, follow_up=letter)
    try:
        count = services.follow_up_invite_signers(follow_up=follow_up, user=request.user)
    except services.CampaignError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Invited %(count)d earlier signers; the emails are on their way.") % {"count": count}
        )
    return redirect(_outcome_url(letter))
