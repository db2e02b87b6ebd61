"""Recording a response in a real browser: the summary sentence and the campaign scoreboard change."""

from tests.campaigns.conftest import send

from ..factories import AskFactory, SignatureFactory


def scoreboard_row(page, letter):
    return [
        cell.strip()
        for cell in page.locator(f'table.scoreboard tr[data-letter="{letter.pk}"] td').all_inner_texts()
    ]


def test_record_a_response_and_see_the_summary_change(logged_in_page, live_server, letter, owner):
    page = logged_in_page
    for title in ["End solitary confinement", "Publish segregation data", "Train field office staff"]:
        AskFactory(letter=letter, title=title)
    SignatureFactory(letter=letter, name="Detention Watch Network")
    letter = send(letter, owner)

    page.goto(f"{live_server.url}/campaigns/{letter.campaign.slug}/")
    assert scoreboard_row(page, letter)[1:] == ["3", "0", "0", "0", "3"]

    page.click(f'table.scoreboard tr[data-letter="{letter.pk}"] a')
    page.click("text=Record a response")
    page.fill("#id_received_on", "2024-05-29")
    page.fill("#id_from_whom", "ICE")
    page.fill("#id_summary", "ICE agreed to report restricted privileges.")
    asks = page.locator("fieldset.ask-position")
    asks.nth(0).get_by_label("Concurred", exact=True).check()
    asks.nth(1).get_by_label("Non-concurred").check()
    asks.nth(1).locator("textarea").fill("Says the data is sensitive")
    asks.nth(2).get_by_label("Non-concurred").check()
    page.click("text=Save the response")

    page.wait_for_selector("text=Response saved.")
    summary = page.locator(".response-summary").inner_text()
    assert summary == "ICE concurred with one of the three asks and non-concurred with two."
    assert "Says the data is sensitive" in page.locator(".response").inner_text()

    page.click(f"text={letter.campaign.name}")
    assert scoreboard_row(page, letter)[1:] == ["3", "1", "0", "2", "0"]
    assert (
        "ICE concurred with one of the three asks and non-concurred with two."
        in page.locator(".timeline").inner_text()
    )

    # Correct one position: the sentence follows.
    page.click(f'table.scoreboard tr[data-letter="{letter.pk}"] a')
    page.click(".response >> text=Edit")
    page.locator("fieldset.ask-position").nth(2).get_by_label("Partially concurred").check()
    page.click("text=Save the response")
    page.wait_for_selector("text=Response saved.")
    assert page.locator(".response-summary").inner_text() == (
        "ICE concurred with one of the three asks, partially concurred with one, and non-concurred with one."
    )
