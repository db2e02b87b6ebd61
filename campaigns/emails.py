"""Every email the app sends: rendered here, stored as OutgoingEmail, sent by a task."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .invitations import invitation_link
from .models import OutgoingEmail


def queue_email(*, to, template, context):
    """Render templates/emails/<template>_{subject,body}.txt (+ .html) and send after commit."""
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    text = render_to_string(f"emails/{template}_body.txt", context)
    html = render_to_string(f"emails/{template}_body.html", context)
    email = OutgoingEmail.objects.create(to=to, subject=subject, text=text, html=html)

    from .tasks import send_email  # tasks import this module's model; avoid a cycle

    transaction.on_commit(lambda: send_email.delay(email.pk))
    return email


def send_follow_up_invitation(*, invitation):
    """Ask an earlier signer to sign the follow-up letter, with a link that fills in their details."""
    follow_up = invitation.follow_up
    return queue_email(
        to=invitation.signature.email,
        template="follow_up_invitation",
        context={
            "signature": invitation.signature,
            "original": follow_up.original,
            "letter": follow_up.follow_up,
            "link": invitation_link(invitation),
        },
    )


def send_sent_notice(*, notice):
    """Tell a signer the letter went out, with a link to the PDF that was sent."""
    letter = notice.letter
    link = settings.SITE_URL + reverse("signatories:sent_pdf", args=[letter.public_id])
    return queue_email(
        to=notice.signature.email,
        template="letter_sent",
        context={"signature": notice.signature, "letter": letter, "link": link},
    )
