from django.db import transaction

from .models import Campaign, Membership


def campaign_create(*, user, name, slug, description=""):
    """Create a campaign with its creator as owner."""
    with transaction.atomic():
        campaign = Campaign.objects.create(name=name, slug=slug, description=description)
        Membership.objects.create(campaign=campaign, user=user, role=Membership.Role.OWNER)
    return campaign


def membership_set(*, campaign, user, role):
    membership, _ = Membership.objects.update_or_create(campaign=campaign, user=user, defaults={"role": role})
    return membership
