"""factory_boy factories; every part belongs to a fresh letter unless given one."""

import factory
from django.contrib.auth import get_user_model

from campaigns.models import Campaign, Membership
from letters.models import Ask, CarbonCopy, Contact, Letter, Recipient
from signatories.matching import normalize_name
from signatories.models import Signature


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or "correct horse battery")
        if create:
            user.save(update_fields=["password"])


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    campaign = factory.SubFactory(CampaignFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.EDITOR


class LetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Letter

    campaign = factory.SubFactory(CampaignFactory)
    title = factory.Sequence(lambda n: f"Letter {n}")
    subject = "RE: A test subject"
    body = "<p>The undersigned {{ signer_count }} organizations write to you.</p>"


class OrderedPartFactory(factory.django.DjangoModelFactory):
    letter = factory.SubFactory(LetterFactory)
    position = factory.Sequence(int)


class RecipientFactory(OrderedPartFactory):
    class Meta:
        model = Recipient

    name = factory.Sequence(lambda n: f"The Honorable Official {n}")
    salutation_name = factory.Sequence(lambda n: f"Secretary Official{n}")


class AskFactory(OrderedPartFactory):
    class Meta:
        model = Ask

    title = factory.Sequence(lambda n: f"Ask {n}")
    text = "Do the right thing."


class ContactFactory(OrderedPartFactory):
    class Meta:
        model = Contact

    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


class CarbonCopyFactory(OrderedPartFactory):
    class Meta:
        model = CarbonCopy

    name = factory.Sequence(lambda n: f"Ms. Copied {n}")


class SignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signature

    letter = factory.SubFactory(LetterFactory)
    name = factory.Sequence(lambda n: f"Organization {n}")
    normalized_name = factory.LazyAttribute(lambda signature: normalize_name(signature.name))
    status = Signature.Status.ACCEPTED
    source = Signature.Source.STAFF
