"""Load a demo campaign with a complete fictional letter; with DEBUG on, also a demo staff login."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Membership
from letters.models import Ask, CarbonCopy, Contact, Letter, Recipient
from letters.services import letter_change_status, log_event
from signatories.models import Signature
from signatories.services import link_signatures, signers_add_by_staff

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password-change-me"

BODY = """<p>The undersigned {{ signer_count }} organizations, which serve riders, workers and neighbors
across the Riverbend region, write to urge you to keep every bus route in the Valley Transit
network running through the coming fiscal year.</p>
<p>The proposed service cuts would remove <strong>eleven routes</strong> that carry more than
40,000 trips each week, most of them by people who have no other way to reach work, school or a
clinic. <em>No rider survey</em> was published before the proposal, and the public hearing was
scheduled on a weekday morning. Read the <a href="https://example.org/riders-report">riders'
report</a> for the figures.</p>
<h3>What we ask</h3>
<p>We ask that you commit publicly, before the budget vote, to the following:</p>"""

ASKS = [
    (
        "Keep all current routes",
        "Withdraw the proposal to eliminate eleven routes and fund them through June.",
    ),
    ("Publish the ridership data", "Release route-level ridership for the past three years before any vote."),
    ("Hold an evening hearing", "Schedule at least one public hearing after 6 p.m. with interpretation."),
]

SIGNERS = [
    "Riverbend Riders Union",
    "The Neighborhood Health Collective",
    "Eastside Tenants Association",
    "Valley Faith Network",
    "Students for Safe Streets",
    "Riverbend Senior Center",
    "Disability Access Alliance of Riverbend",
    "Green Corridor Coalition",
    # Typed again by someone else: the "Possible duplicates" page proposes it for a merge.
    "Green Corridor Coaliton",
]


class Command(BaseCommand):
    help = "Load a demo campaign and letter (once); with DEBUG on, create the demo staff login."

    def handle(self, *args, **options):
        user = self._demo_user() if settings.DEBUG else None
        with transaction.atomic():
            campaign, created = Campaign.objects.get_or_create(
                slug="fair-transit",
                defaults={
                    "name": "Fair Transit for Riverbend",
                    "description": "A coalition campaign to keep bus service in the Riverbend valley.",
                },
            )
            if user:
                Membership.objects.get_or_create(
                    campaign=campaign, user=user, defaults={"role": Membership.Role.OWNER}
                )
            if created:
                self._demo_letter(campaign, user)
        self.stdout.write(self.style.SUCCESS("Demo campaign ready: Fair Transit for Riverbend."))
        letter = campaign.letters.order_by("pk").first()
        if letter and letter.is_public():
            path = reverse("signatories:sign", args=[letter.public_id])
            self.stdout.write(f"Public sign-on page: {settings.SITE_URL}{path}")
        if user:
            self.stdout.write(f"Demo staff login: username {DEMO_USERNAME!r}, password {DEMO_PASSWORD!r}")

    def _demo_user(self):
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": "demo@example.org", "is_staff": True}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _demo_letter(self, campaign, user):
        letter = Letter.objects.create(
            campaign=campaign,
            title="Keep Valley Transit running",
            date=datetime.date(2026, 12, 1),
            delivery_line="Delivered via e-mail",
            subject="RE: Proposed elimination of eleven Valley Transit bus routes",
            body=BODY,
            created_by=user,
        )
        Recipient.objects.create(
            letter=letter,
            position=0,
            name="The Honorable Dana Whitfield",
            salutation_name="Mayor Whitfield",
            title_lines="Mayor of Riverbend",
            organization="Office of the Mayor",
            address_lines="100 City Hall Plaza\nRiverbend, OR 97000",
            email="mayor@riverbend.example",
        )
        Recipient.objects.create(
            letter=letter,
            position=1,
            name="Mr. Samuel Ortiz",
            salutation_name="General Manager Ortiz",
            title_lines="General Manager",
            organization="Valley Transit Authority",
            address_lines="2 Depot Street\nRiverbend, OR 97001",
            email="gm@valleytransit.example",
        )
        for position, (title, text) in enumerate(ASKS):
            Ask.objects.create(letter=letter, position=position, title=title, text=text)
        Contact.objects.create(
            letter=letter,
            name="Jordan Lee",
            organization="Riverbend Riders Union",
            email="jordan@riders.example",
        )
        CarbonCopy.objects.create(
            letter=letter,
            name="Ms. Priya Natarajan",
            title_lines="Chair, Riverbend City Council Transportation Committee",
            email="council@riverbend.example",
        )
        lead = Signature(
            letter=letter,
            status=Signature.Status.ACCEPTED,
            source=Signature.Source.STAFF,
            is_lead=True,
        )
        lead.set_name("Riverbend Transit Justice Coalition")
        lead.save()
        link_signatures([lead])
        signers_add_by_staff(letter=letter, user=user, names=SIGNERS)
        log_event(letter=letter, actor=user, action="letter.created")
        letter.deadline = timezone.now() + datetime.timedelta(days=30)
        letter.save(update_fields=["deadline"])
        letter_change_status(letter=letter, user=user, status=Letter.Status.OPEN)
