"""Staff pages for the organization directory and its possible duplicates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from letters.models import Letter
from letters.views import _get_letter_for_user

from . import services
from .directory_forms import MergeForm, OrganizationPairForm
from .models import Organization, OrganizationMerge, Signature


def _back(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def _visible_signatures(request, organization):
    letters = Letter.objects.visible_to(request.user)
    return organization.signatures.filter(letter__in=letters).select_related("letter", "letter__campaign")


@login_required
def directory_list(request):
    query = request.GET.get("q", "").strip()[:200]
    organizations = Organization.objects.visible_to(request.user).filter(merged_into=None)
    if query:
        organizations = organizations.filter(Q(name__icontains=query) | Q(aliases__name__icontains=query))
    organizations = organizations.annotate(letter_count=Count("signatures__letter", distinct=True)).distinct()
    page = Paginator(organizations.order_by("name"), 50).get_page(request.GET.get("page"))
    return render(request, "signatories/directory_list.html", {"page": page, "query": query})


@login_required
def directory_detail(request, pk):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    signatures = _visible_signatures(request, organization).order_by("-letter__created_at")
    contacts = organization.contacts.all()
    if not request.user.is_superuser:  # only contacts who signed letters this user can see
        emails = Q()
        for email in {s.email.lower() for s in signatures if s.email}:
            emails |= Q(email__iexact=email)
        contacts = contacts.filter(emails) if emails else contacts.none()
    merges = OrganizationMerge.objects.filter(
        Q(survivor=organization) | Q(merged=organization)
    ).select_related("survivor", "merged", "created_by")
    context = {
        "organization": organization,
        "aliases": organization.aliases.all(),
        "contacts": contacts,
        "signatures": signatures,
        "merges": merges,
        "can_edit": Organization.objects.mergeable_by(request.user).filter(pk=pk).exists(),
    }
    return render(request, "signatories/directory_detail.html", context)


@login_required
def directory_duplicates(request):
    organizations = Organization.objects.editable_by(request.user).filter(merged_into=None)
    rows = [(candidate, None, None) for candidate in services.duplicate_candidates(organizations)]
    return render(request, "signatories/duplicates.html", {"rows": rows, "letter": None})


@login_required
def letter_duplicates(request, pk):
    letter = _get_letter_for_user(request, pk, edit=True)
    active = letter.signatures.filter(
        status__in=Signature.ACTIVE_STATUSES, kind=Signature.Kind.ORGANIZATION, organization__isnull=False
    ).select_related("organization")
    by_organization = {}
    for signature in active:
        by_organization.setdefault(signature.organization_id, signature)
    candidates = services.duplicate_candidates([s.organization for s in by_organization.values()])
    rows = [(c, by_organization[c.first.pk], by_organization[c.second.pk]) for c in candidates]
    return render(request, "signatories/duplicates.html", {"rows": rows, "letter": letter})


@login_required
@require_POST
def organization_merge(request):
    form = MergeForm(request.POST, organizations=Organization.objects.mergeable_by(request.user))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("__all__", [])) or _("Choose the name to display."))
        return _back(request, "signatories:directory_duplicates")
    data = form.cleaned_data
    try:
        services.organizations_merge(
            survivor=data["first"],
            merged=data["second"],
            display_name=data["display_name"],
            user=request.user,
        )
    except services.DirectoryError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Merged %(merged)s into %(name)s. You can undo this on the organization's page.")
            % {"merged": data["second"].name, "name": data["display_name"]},
        )
    return _back(request, "signatories:directory_duplicates")


@login_required
@require_POST
def organization_not_same(request):
    form = OrganizationPairForm(request.POST, organizations=Organization.objects.editable_by(request.user))
    if form.is_valid():
        services.organizations_mark_not_same(
            first=form.cleaned_data["first"], second=form.cleaned_data["second"], user=request.user
        )
        messages.success(
            request, _("Noted: these are different organizations; they won't be proposed again.")
        )
    else:
        messages.error(request, " ".join(form.errors.get("__all__", [])) or _("Choose two organizations."))
    return _back(request, "signatories:directory_duplicates")


@login_required
@require_POST
def merge_undo(request, merge_id):
    mergeable = Organization.objects.mergeable_by(request.user)
    # The moved signatures belong to the survivor now, so its being mergeable covers them all.
    merge = get_object_or_404(OrganizationMerge.objects.filter(survivor__in=mergeable), pk=merge_id)
    try:
        services.organization_merge_undo(merge=merge, user=request.user)
    except services.DirectoryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The merge is undone."))
    return redirect("signatories:directory_detail", pk=merge.survivor_id)
