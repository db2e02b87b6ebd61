"""Drafting in a real browser: formset rows added, reordered and removed; rich-text body; preview."""

import re

from letters.models import Letter


def test_draft_a_letter_in_the_browser(logged_in_page, live_server, letter):
    page = logged_in_page
    page.goto(f"{live_server.url}/letters/{letter.pk}/edit/")

    recipients = page.locator('fieldset[data-prefix="recipients"]')
    for name, salutation in [
        ("The Honorable Joseph R. Biden", "President Biden"),
        ("Mr. Patrick J. Lechleitner", "Acting Director Lechleitner"),
        ("The Honorable Alejandro Mayorkas", "Secretary Mayorkas"),
    ]:
        recipients.locator(".js-add-row").click()
        row = recipients.locator(".formset-row").last
        row.locator('input[name$="-name"]').fill(name)
        row.locator('input[name$="-salutation_name"]').fill(salutation)
    # Move Mayorkas above Lechleitner, then add and remove a stray row.
    recipients.locator(".formset-row").nth(2).locator(".js-move-up").click()
    recipients.locator(".js-add-row").click()
    recipients.locator(".formset-row").last.locator('input[name$="-name"]').fill("Someone removed")
    recipients.locator(".formset-row").last.locator(".js-remove-row").click()

    page.click(".js-build-salutation")
    salutation = page.input_value("#id_salutation")
    assert salutation == "Dear President Biden, Secretary Mayorkas, and Acting Director Lechleitner:"

    editor = page.locator(".richtext-editor")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type("The undersigned ")
    page.click('.richtext-toolbar button[data-command="count"]')
    page.keyboard.type(" organizations ")
    page.keyboard.press("Control+b")
    page.keyboard.type("urge you")
    page.keyboard.press("Control+b")
    page.keyboard.type(" to act.")

    asks = page.locator('fieldset[data-prefix="asks"]')
    asks.locator(".js-add-row").click()
    asks.locator('input[name$="-title"]').fill("End solitary confinement")
    leads = page.locator('fieldset[data-prefix="leads"]')
    leads.locator(".js-add-row").click()
    leads.locator('input[name$="-name"]').fill("Physicians for Human Rights")

    page.click("text=Save letter")
    page.wait_for_selector("text=Letter saved.")

    letter.refresh_from_db()
    assert list(letter.recipients.values_list("name", flat=True)) == [
        "The Honorable Joseph R. Biden",
        "The Honorable Alejandro Mayorkas",
        "Mr. Patrick J. Lechleitner",
    ]
    assert letter.salutation == salutation
    assert re.fullmatch(
        r"<p>The undersigned \{\{ signer_count \}\} organizations "
        r"<(b|strong)>urge you</\1>( |&nbsp;)to act\.</p>",
        letter.body,
    ), letter.body
    assert letter.status == Letter.Status.DRAFT

    page.goto(f"{live_server.url}/letters/{letter.pk}/")
    text = page.locator("article.letter").inner_text().replace("\xa0", " ")
    assert "The undersigned 1 organizations urge you to act." in text
    assert (
        text.index("Joseph R. Biden")
        < text.index("Mayorkas")
        < text.index("Lechleitner")
        < text.index("Dear")
    )


def test_failed_validation_keeps_added_rows(logged_in_page, live_server, letter):
    page = logged_in_page
    page.goto(f"{live_server.url}/letters/{letter.pk}/edit/")
    contacts = page.locator('fieldset[data-prefix="contacts"]')
    contacts.locator(".js-add-row").click()
    contacts.locator('input[name$="-name"]').fill("Pat Doe")
    contacts.locator('input[name$="-email"]').fill("not an email")
    page.click("text=Save letter")
    page.wait_for_selector("text=Enter a valid email address.")
    assert page.locator('fieldset[data-prefix="contacts"] input[name$="-name"]').input_value() == "Pat Doe"
    assert not letter.contacts.exists()
