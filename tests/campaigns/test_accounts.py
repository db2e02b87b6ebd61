import re

from django.urls import reverse

from campaigns.models import OutgoingEmail

from ..factories import UserFactory


def test_login_and_logout(client, db):
    UserFactory(username="amara")
    response = client.post(reverse("login"), {"username": "amara", "password": "correct horse battery"})
    assert response["Location"] == reverse("campaigns:list")
    assert client.get(reverse("campaigns:list")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("campaigns:list")).status_code == 302


def test_wrong_password_is_refused(client, db):
    UserFactory(username="amara")
    response = client.post(reverse("login"), {"username": "amara", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_password_reset_by_email(client, db, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(username="amara", email="amara@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "amara@example.org"})
    assert response["Location"] == reverse("password_reset_done")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["amara@example.org"]
    assert message.subject == "Reset your Undersigned password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT
    assert OutgoingEmail.objects.get().text == ""  # the one-time link is not kept

    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    client.post(
        set_url, {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"}
    )
    assert client.login(username="amara", password="a brand new passphrase")


def test_password_reset_for_unknown_address_sends_nothing(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "stranger@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_login_attempts_are_rate_limited(client, db):
    UserFactory(username="amara")
    for _ in range(10):
        client.post(reverse("login"), {"username": "amara", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "amara", "password": "correct horse battery"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_rate_limits_count_the_visitor_behind_trusted_proxies(settings, rf):
    from config.ratelimit import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # the forged first entry is ignored


def test_an_email_out_of_retries_is_marked_failed_without_its_links(db, settings):
    from campaigns.tasks import send_email

    settings.EMAIL_BACKEND = "tests.campaigns.test_accounts.RefusingBackend"
    email = OutgoingEmail.objects.create(to="a@example.org", subject="Reset", text="https://x/reset/secret/")

    result = send_email.apply(args=[email.pk], retries=send_email.max_retries, throw=False)

    assert result.failed()
    email.refresh_from_db()
    assert (email.status, email.text, email.error) == (
        OutgoingEmail.Status.FAILED,
        "",
        "SMTP server unreachable",
    )


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP server unreachable")
