"""A signer opens the public page, signs, follows the emailed link and finds themselves listed."""

import re

from django.core import mail

from letters.services import letter_change_status


def test_sign_confirm_by_email_and_appear_in_the_list(page, live_server, letter, owner):
    letter_change_status(letter=letter, user=owner, status="open")
    page.goto(f"{live_server.url}/sign/{letter.public_id}/")
    assert page.locator(".signer-count").inner_text() == "0"

    page.fill("#id_name", "Black Alliance for Just Immigration")
    page.fill("#id_contact_name", "Jordan Ellis")
    page.fill("#id_email", "jordan@baji.example")
    page.fill("#id_city", "Oakland")
    page.select_option("#id_state", "CA")
    page.select_option("#id_scope", "national")
    page.check("#id_consent")
    page.check("#id_authorized")
    page.click("text=Sign the letter")
    page.wait_for_selector("text=Almost done: check your email")

    assert [m.to for m in mail.outbox] == [["jordan@baji.example"]]
    path = re.search(r"https?://[^/\s]+(/signature/confirm/\S+/)", mail.outbox[0].body).group(1)
    page.goto(live_server.url + path)
    page.click("text=Confirm my signature")
    page.wait_for_selector("text=Thank you for signing")
    page.click("text=See the letter and its signers")

    assert page.locator(".signer-count").inner_text() == "1"
    assert page.locator(".letter-signers li").all_inner_texts() == ["Black Alliance for Just Immigration"]
