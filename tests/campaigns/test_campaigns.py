from django.urls import reverse

from campaigns.models import Campaign, Membership

from ..factories import CampaignFactory, LetterFactory, MembershipFactory, UserFactory


def test_staff_see_only_their_campaigns(client, owner, campaign):
    other = CampaignFactory(name="Someone else's campaign")
    client.force_login(owner)
    html = client.get(reverse("campaigns:list")).content.decode()
    assert campaign.name in html
    assert other.name not in html
    assert client.get(reverse("campaigns:detail", args=[other.slug])).status_code == 404


def test_superuser_sees_every_campaign(client, campaign):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    other = CampaignFactory(name="Another coalition")
    client.force_login(admin)
    html = client.get(reverse("campaigns:list")).content.decode()
    assert campaign.name in html and other.name in html
    assert client.get(reverse("campaigns:detail", args=[other.slug])).status_code == 200


def test_campaign_page_lists_its_letters(client, viewer, campaign):
    LetterFactory(campaign=campaign, title="First letter")
    LetterFactory(title="Not ours")
    client.force_login(viewer)
    html = client.get(reverse("campaigns:detail", args=[campaign.slug])).content.decode()
    assert "First letter" in html and "Not ours" not in html
    assert "New letter" not in html  # a viewer cannot create one


def test_creating_a_campaign_makes_its_creator_owner(client, db):
    user = UserFactory(username="lead")
    client.force_login(user)
    response = client.post(
        reverse("campaigns:create"), {"name": "Clean Air Now", "slug": "clean-air", "description": ""}
    )
    campaign = Campaign.objects.get(slug="clean-air")
    assert response["Location"] == reverse("campaigns:detail", args=["clean-air"])
    assert campaign.memberships.get().role == Membership.Role.OWNER


def test_duplicate_or_bad_slug_is_refused(client, owner, campaign):
    client.force_login(owner)
    response = client.post(reverse("campaigns:create"), {"name": "X", "slug": campaign.slug})
    assert "Campaign with this Slug already exists." in response.content.decode()
    response = client.post(reverse("campaigns:create"), {"name": "X", "slug": "not a slug!"})
    assert "Enter a valid “slug”" in response.content.decode()
    assert Campaign.objects.count() == 1


def test_owner_adds_member_and_changes_role(client, owner, campaign):
    newcomer = UserFactory(username="newcomer", email="new@example.org")
    client.force_login(owner)
    client.post(
        reverse("campaigns:members", args=[campaign.slug]), {"email": "NEW@example.org", "role": "viewer"}
    )
    assert campaign.memberships.get(user=newcomer).role == "viewer"
    client.post(
        reverse("campaigns:members", args=[campaign.slug]), {"email": "new@example.org", "role": "editor"}
    )
    assert campaign.memberships.get(user=newcomer).role == "editor"


def test_unknown_member_email_is_explained(client, owner, campaign):
    client.force_login(owner)
    response = client.post(
        reverse("campaigns:members", args=[campaign.slug]), {"email": "nobody@example.org", "role": "viewer"}
    )
    assert "No active staff account uses this address." in response.content.decode()


def test_only_owners_manage_members(client, editor, viewer, outsider, campaign):
    for user, status in [(editor, 403), (viewer, 403), (outsider, 404)]:
        client.force_login(user)
        assert client.get(reverse("campaigns:members", args=[campaign.slug])).status_code == status


def test_last_owner_cannot_be_removed(client, owner, campaign):
    client.force_login(owner)
    membership = campaign.memberships.get(user=owner)
    response = client.post(
        reverse("campaigns:member_remove", args=[campaign.slug, membership.pk]), follow=True
    )
    assert "A campaign keeps at least one owner." in response.content.decode()
    assert campaign.memberships.filter(pk=membership.pk).exists()


def test_owner_removes_a_member(client, owner, editor, campaign):
    client.force_login(owner)
    membership = campaign.memberships.get(user=editor)
    assert (
        client.get(reverse("campaigns:member_remove", args=[campaign.slug, membership.pk])).status_code == 405
    )
    client.post(reverse("campaigns:member_remove", args=[campaign.slug, membership.pk]))
    assert not campaign.memberships.filter(user=editor).exists()


def test_membership_is_unique_per_user(campaign, owner):
    import pytest
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        MembershipFactory(campaign=campaign, user=owner, role="viewer")


def test_last_owner_cannot_step_down(client, owner, campaign):
    client.force_login(owner)
    response = client.post(
        reverse("campaigns:members", args=[campaign.slug]), {"email": owner.email, "role": "viewer"}
    )
    assert "A campaign keeps at least one owner." in response.content.decode()
    assert campaign.memberships.get(user=owner).role == "owner"


def test_reserved_slug_is_refused(client, owner):
    client.force_login(owner)
    response = client.post(reverse("campaigns:create"), {"name": "New", "slug": "new"})
    assert "This short name is taken by the site" in response.content.decode()
    assert not Campaign.objects.filter(slug="new").exists()
