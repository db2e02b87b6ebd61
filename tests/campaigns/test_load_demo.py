from django.contrib.auth import get_user_model
from django.core.management import call_command

from campaigns.models import Campaign
from letters.models import Letter


def test_demo_loads_a_complete_letter_once_with_a_login_in_debug(db, settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")

    output = capsys.readouterr().out
    assert "Demo staff login: username 'demo'" in output
    campaign = Campaign.objects.get(slug="fair-transit")
    letter = Letter.objects.get(campaign=campaign)
    assert letter.recipients.count() == 2 and letter.asks.count() == 3
    assert letter.contacts.exists() and letter.cc.exists()
    assert letter.signatures.filter(is_lead=True).count() == 1 and letter.signatures.count() == 10
    assert letter.salutation_text() == "Dear Mayor Whitfield and General Manager Ortiz:"
    assert letter.is_taking_signatures() and letter.current_version().number == 1
    assert f"Public sign-on page: http://127.0.0.1:8000/sign/{letter.public_id}/" in output
    demo = get_user_model().objects.get(username="demo")
    assert campaign.role_of(demo) == "owner"


def test_no_demo_login_without_debug(db, settings, capsys):
    settings.DEBUG = False
    call_command("load_demo")
    assert "Demo staff login" not in capsys.readouterr().out
    assert not get_user_model().objects.filter(username="demo").exists()
    assert Letter.objects.count() == 1
