"""The per-ask counts of a response and the sentence that states them, worded like seed 003."""

import datetime

import pytest

from campaigns import services
from campaigns.models import AskPosition
from campaigns.summary import complete_counts, number_word, positions_sentence

from ..factories import AskFactory

C, P, N, X = "concurred", "partially_concurred", "non_concurred", "no_response"


def counts(concurred=0, partially=0, non=0, none=0):
    return {C: concurred, P: partially, N: non, X: none}


def test_seed_003_wording():
    # Seed 003: "ICE concurred with four of CRCL's recommendations, partially concurred with five,
    # and non-concurred with 17."
    assert (
        positions_sentence(counts(4, 5, 17), subject="ICE")
        == "ICE concurred with four of the 26 asks, partially concurred with five, and non-concurred with 17."
    )


@pytest.mark.parametrize(
    ("given", "sentence"),
    [
        (counts(1, 0, 2), "ICE concurred with one of the three asks and non-concurred with two."),
        (
            counts(0, 2, 0, 1),
            "ICE partially concurred with two of the three asks and did not respond to one.",
        ),
        (
            counts(3, 3, 3, 11),
            "ICE concurred with three of the 20 asks, partially concurred with three, non-concurred with "
            "three, and did not respond to 11.",
        ),
        (counts(10, 0, 11), "ICE concurred with ten of the 21 asks and non-concurred with 11."),
        (counts(0, 0, 1), "ICE non-concurred with the ask."),
        (counts(2), "ICE concurred with both asks."),
        (counts(0, 12), "ICE partially concurred with all 12 asks."),
        (counts(0, 0, 0, 4), "ICE did not respond to any of the four asks."),
        (counts(0, 0, 0, 2), "ICE did not respond to either ask."),
        (counts(), "ICE responded to a letter without asks."),
    ],
)
def test_sentence_wording(given, sentence):
    assert positions_sentence(given, subject="ICE") == sentence


def test_subject_defaults_to_the_target():
    assert (
        positions_sentence(counts(1, 1))
        == "The target concurred with one of the two asks and partially concurred with one."
    )


def test_number_words_stop_at_ten():
    assert [number_word(n) for n in [1, 9, 10, 11, 26]] == ["one", "nine", "ten", "11", "26"]


def test_asks_without_a_position_count_as_no_response():
    assert complete_counts({C: 1, N: 1}, 4) == {C: 1, P: 0, N: 1, X: 2}


def test_response_counts_each_position(sent_letter, owner):
    asks = list(sent_letter.asks.all())
    response = services.response_record(
        letter=sent_letter,
        user=owner,
        received_on=datetime.date(2024, 5, 29),
        from_whom="ICE",
        summary="ICE agreed to report restricted privileges.",
        positions=[(asks[0], C, ""), (asks[1], N, "Says the data is sensitive"), (asks[2], N, "")],
    )
    assert response.position_counts() == {C: 1, P: 0, N: 2, X: 0}
    assert (
        response.position_summary() == "ICE concurred with one of the three asks and non-concurred with two."
    )
    # An ask added later (a correction, say) is one the response did not answer.
    AskFactory(letter=sent_letter, title="A fourth ask")
    assert response.position_counts() == {C: 1, P: 0, N: 2, X: 1}
    assert AskPosition.objects.filter(response=response).count() == 3
