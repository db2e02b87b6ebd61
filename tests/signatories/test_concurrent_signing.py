"""Two submissions for the same organization at the same moment: the database keeps one."""

import threading

import pytest
from django.db import connection
from django.test import Client

from letters.services import letter_change_status
from signatories import services
from signatories.models import Signature

from ..factories import LetterFactory


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_give_one_signature(monkeypatch):
    letter = letter_change_status(letter=LetterFactory(), user=None, status="open")
    both_checked = threading.Barrier(2, timeout=10)
    original = services.find_active_duplicate
    waited = set()

    def check_then_wait(*args, **kwargs):
        # Both requests look for an earlier signature before either saves: the race the constraint stops.
        found = original(*args, **kwargs)
        if threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            both_checked.wait()
        return found

    monkeypatch.setattr(services, "find_active_duplicate", check_then_wait)
    responses = []

    def sign(spelling, email):
        try:
            response = Client(REMOTE_ADDR=f"192.0.2.{len(email)}").post(
                f"/sign/{letter.public_id}/",
                {
                    "kind": "organization",
                    "name": spelling,
                    "contact_name": "Ana",
                    "email": email,
                    "consent": "on",
                    "authorized": "on",
                    "state": "NY",
                    "scope": "state",
                },
            )
            responses.append(response.status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=sign, args=("Faith in Texas", "first@example.org")),
        threading.Thread(target=sign, args=("FAITH IN TEXAS", "second.person@example.org")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert responses == [302, 302]
    assert Signature.objects.filter(letter=letter).count() == 1
    assert Signature.objects.get().normalized_name == "faith in texas"
