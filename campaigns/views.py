from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import CampaignForm, MembershipForm
from .models import Campaign, Membership


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


@login_required
def campaign_detail(request, slug):
    campaign = _get_campaign_for_user(request, slug)
    letters = campaign.letters.all()
    return render(
        request,
        "campaigns/campaign_detail.html",
        {"campaign": campaign, "letters": letters, "can_edit": campaign.can_edit(request.user)},
    )


@login_required
def campaign_members(request, slug):
    campaign = _get_campaign_for_user(request, slug, role="owner")
    form = MembershipForm(request.POST or None)
    if form.is_valid():
        services.membership_set(
            campaign=campaign, user=form.cleaned_data["user"], role=form.cleaned_data["role"]
        )
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
    if membership.role == Membership.Role.OWNER and campaign.memberships.filter(role="owner").count() == 1:
        messages.error(request, _("A campaign keeps at least one owner."))
    else:
        membership.delete()
        messages.success(request, _("Member removed."))
    return redirect("campaigns:members", slug=slug)
