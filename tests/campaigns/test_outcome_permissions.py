"""Who may use the delivery, response, follow-up and report pages.

Members read (viewers included); changes need an owner or editor (403 for a viewer); staff of other
campaigns get 404; anonymous visitors go to the login page; POST-only actions refuse GET (405)."""

import datetime

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import FollowUp, FollowUpInvitation, Response
from letters.models import Delivery, Letter
from letters.services import letter_change_status

from ..factories import LetterFactory


@pytest.fixture
def objects(sent_letter, owner):
    response = services.response_record(
        letter=sent_letter,
        user=owner,
        received_on=datetime.date(2024, 5, 29),
        summary="Answered.",
        positions=[],
    )
    follow_up = services.letter_start_follow_up(letter=sent_letter, user=owner, title="Second letter")
    letter_change_status(letter=follow_up, user=owner, status="open")
    return {"letter": sent_letter, "response": response, "follow_up": follow_up}


def url(name, campaign, objects):
    args = {
        "detail": [campaign.slug],
        "report_csv": [campaign.slug],
        "report_pdf": [campaign.slug],
        "letter_outcome": [campaign.slug, objects["letter"].pk],
        "response_create": [campaign.slug, objects["letter"].pk],
        "delivery_record": [campaign.slug, objects["letter"].pk],
        "response_edit": [campaign.slug, objects["response"].pk],
        "follow_up_start": [campaign.slug, objects["letter"].pk],
        "follow_up_invite": [campaign.slug, objects["follow_up"].pk],
    }[name]
    return reverse(f"campaigns:{name}", args=args)


READ = ["detail", "report_csv", "report_pdf", "letter_outcome"]
EDIT = ["response_create", "response_edit", "follow_up_start", "delivery_record"]
POST_ONLY = ["follow_up_invite"]


@pytest.mark.parametrize("name", READ + EDIT)
def test_owner_and_editor_open_every_page(client, owner, editor, campaign, objects, name):
    for user in [owner, editor]:
        client.force_login(user)
        assert client.get(url(name, campaign, objects)).status_code == 200


@pytest.mark.parametrize("name", READ)
def test_viewer_reads(client, viewer, campaign, objects, name):
    client.force_login(viewer)
    assert client.get(url(name, campaign, objects)).status_code == 200


@pytest.mark.parametrize("name", EDIT + POST_ONLY)
def test_viewer_changes_nothing(client, viewer, campaign, objects, name):
    client.force_login(viewer)
    if name in EDIT:
        assert client.get(url(name, campaign, objects)).status_code == 403
    response = client.post(
        url(name, campaign, objects),
        {"title": "Sneaky", "received_on": "2024-06-01", "summary": "x", "positions-TOTAL_FORMS": "0",
         "positions-INITIAL_FORMS": "0", "delivered_on": "2024-06-01", "method": "hand", "to_whom": "x"},
    )  # fmt: skip
    assert response.status_code == 403
    assert Response.objects.count() == 1
    assert Letter.objects.count() == 2 and FollowUp.objects.count() == 1
    assert not FollowUpInvitation.objects.exists() and not Delivery.objects.exists()


@pytest.mark.parametrize("name", READ + EDIT + POST_ONLY)
def test_outsider_gets_404(client, outsider, campaign, objects, name):
    client.force_login(outsider)
    assert client.get(url(name, campaign, objects)).status_code == (405 if name in POST_ONLY else 404)
    assert client.post(url(name, campaign, objects)).status_code == 404


@pytest.mark.parametrize("name", READ + EDIT + POST_ONLY)
def test_anonymous_goes_to_login(client, campaign, objects, name):
    for method in [client.get, client.post]:
        response = method(url(name, campaign, objects))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", POST_ONLY)
def test_get_on_a_post_action_is_refused(client, owner, campaign, objects, name):
    client.force_login(owner)
    assert client.get(url(name, campaign, objects)).status_code == 405
    assert not FollowUpInvitation.objects.exists()


def test_another_campaigns_letter_is_not_found_through_this_campaign(client, owner, campaign, objects):
    elsewhere = LetterFactory(title="Elsewhere")
    client.force_login(owner)
    assert (
        client.get(reverse("campaigns:letter_outcome", args=[campaign.slug, elsewhere.pk])).status_code == 404
    )
