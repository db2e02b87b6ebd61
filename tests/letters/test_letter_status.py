import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from letters.models import Letter, LetterEvent


def change(client, letter, status):
    return client.post(reverse("letters:change_status", args=[letter.pk]), {"status": status}, follow=True)


def test_each_change_records_who_and_when(client, owner, letter):
    client.force_login(owner)
    before = timezone.now()
    for status in ["open", "closed", "open", "closed", "sent"]:
        change(client, letter, status)
        letter.refresh_from_db()
        assert letter.status == status
    events = list(LetterEvent.objects.filter(letter=letter, action="letter.status_changed").order_by("id"))
    assert [(e.data["old"], e.data["new"]) for e in events] == [
        ("draft", "open"),
        ("open", "closed"),
        ("closed", "open"),
        ("open", "closed"),
        ("closed", "sent"),
    ]
    assert all(e.actor == owner and e.created_at >= before for e in events)


def test_sending_fills_a_blank_date(client, owner, letter):
    letter.status = Letter.Status.CLOSED
    letter.save()
    client.force_login(owner)
    change(client, letter, "sent")
    letter.refresh_from_db()
    assert letter.date == timezone.localdate()


def test_sending_keeps_a_set_date(client, owner, letter):
    letter.status, letter.date = Letter.Status.CLOSED, datetime.date(2024, 2, 29)
    letter.save()
    client.force_login(owner)
    change(client, letter, "sent")
    letter.refresh_from_db()
    assert letter.date == datetime.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("start", "target"), [("draft", "sent"), ("draft", "closed"), ("sent", "open"), ("sent", "draft")]
)
def test_refused_transition_explains_and_changes_nothing(client, owner, letter, start, target):
    letter.status = start
    letter.save()
    client.force_login(owner)
    response = change(client, letter, target)
    assert "cannot become" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == start
    assert not LetterEvent.objects.filter(action="letter.status_changed").exists()


def test_unknown_status_is_refused(client, owner, letter):
    client.force_login(owner)
    response = change(client, letter, "published")
    assert "Unknown status." in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT


def test_get_does_not_change_status(client, owner, letter):
    client.force_login(owner)
    response = client.get(reverse("letters:change_status", args=[letter.pk]), {"status": "open"})
    assert response.status_code == 405
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT


def test_viewer_and_outsider_cannot_change_status(client, viewer, outsider, letter):
    client.force_login(viewer)
    assert (
        client.post(reverse("letters:change_status", args=[letter.pk]), {"status": "open"}).status_code == 403
    )
    client.force_login(outsider)
    assert (
        client.post(reverse("letters:change_status", args=[letter.pk]), {"status": "open"}).status_code == 404
    )
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT


def test_preview_offers_only_allowed_transitions(client, owner, letter):
    client.force_login(owner)
    html = client.get(reverse("letters:preview", args=[letter.pk])).content.decode()
    assert 'value="open"' in html
    assert 'value="sent"' not in html
    assert Letter.objects.get(pk=letter.pk).status == "draft"
