import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from letters.models import LetterEvent, LetterVersion
from signatories import csv_import
from signatories.models import Signature
from signatories.staff_views import IMPORT_SESSION_KEY

from ..factories import SignatureFactory

FORM_EXPORT = (
    "Timestamp,Organization Name,Your Name,Email Address,City,State,Website\r\n"
    "1/2/2024,Acacia Center,Ana Ruiz,ana@acacia.org,Albany,New York,acacia.org\r\n"
    "1/3/2024,Bus Riders Union,Bo Li,bo@example,Oakland,CA,\r\n"  # invalid email
    "1/3/2024,the acacia  center,Dup Person,dup@acacia.org,,,\r\n"  # repeats row 2
    "1/4/2024,Make the Road,Mo,mo@mtr.org,Brooklyn,Atlantis,\r\n"  # unknown state
    "1/4/2024,,Nameless,nameless@example.org,,,\r\n"  # blank name
    "1/5/2024,Already Signed,Al,al@example.org,,ny,\r\n"  # already on the letter
    f"1/5/2024,{'x' * 301},Long,long@example.org,,,\r\n"  # name too long
    "1/6/2024,Al Otro Lado,Ari,ari@aol.org,San Diego,N.Y.,https://alotrolado.org\r\n"
)


def upload(client, letter, content, name="signers.csv"):
    if isinstance(content, str):
        content = content.encode()
    return client.post(
        reverse("signatories:staff_import", args=[letter.pk]), {"file": SimpleUploadedFile(name, content)}
    )


def mapping_of(response):
    """The column chosen for each field on the mapping page, by header name."""
    form = response.context["form"]
    header = response.context["header"]
    return {
        name: header[int(form.initial[name])]
        for name in csv_import.FIELDS
        if form.initial.get(name) not in (None, "")
    }


def preview(client, letter, upload_id, **mapping):
    query = {"upload": upload_id, **mapping}
    return client.get(reverse("signatories:staff_import_preview", args=[letter.pk]), query)


def confirm(client, letter, upload_id, **mapping):
    data = {"upload": upload_id, **mapping}
    return client.post(reverse("signatories:staff_import_confirm", args=[letter.pk]), data, follow=True)


FORM_MAPPING = {"name": "1", "contact_name": "2", "email": "3", "city": "4", "state": "5", "website": "6"}


# Reading and mapping --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, expected",
    [
        (
            ["Timestamp", "Organization Name", "Your Name", "Email Address", "City", "State", "Website"],
            {"name": 1, "contact_name": 2, "email": 3, "city": 4, "state": 5, "website": 6},
        ),
        (["Org", "E-mail", "ST"], {"name": 0, "email": 1, "state": 2}),
        (["Organization", "Name", "Title"], {"name": 0, "contact_name": 1, "title": 2}),
        (["Name", "Type", "Affiliation"], {"name": 0, "kind": 1, "affiliation": 2}),
        (["Name of your organization", "Contact's e-mail", "Statement"], {"name": 0, "email": 1}),
        (["Rural or urban", "Group"], {"name": 1}),
        (["Acacia Center", "ana@acacia.org"], {}),  # no header row
    ],
)
def test_mapping_is_guessed_from_header_names(header, expected):
    assert csv_import.guess_mapping(header) == expected


@pytest.mark.parametrize(
    "content",
    [
        "Organization;Email\r\nAcacia Center;ana@acacia.org\r\n",
        "Organization\tEmail\nAcacia Center\tana@acacia.org\n",
        "\ufeffOrganization,Email\nAcacia Center,ana@acacia.org\n",
        '"Organization","Email"\n"Acacia Center","ana@acacia.org"\n',
    ],
)
def test_delimiters_and_bom_are_recognized(content):
    table = csv_import.read_table(content.encode())
    assert table.header == ["Organization", "Email"]
    assert table.rows == [(2, ["Acacia Center", "ana@acacia.org"])]


def test_windows_encoding_quoted_commas_and_line_breaks_are_read():
    content = 'Name,City\r\n"Caf\xe9 Workers, United","San\r\nJos\xe9"\r\n\r\nSolo\r\n'.encode("cp1252")

    table = csv_import.read_table(content)

    assert table.header == ["Name", "City"]
    # The blank line is skipped but counted, as the spreadsheet numbers it; short rows are padded.
    assert table.rows == [(2, ["Café Workers, United", "San\r\nJosé"]), (4, ["Solo", ""])]


def test_one_column_file_without_delimiters_is_read():
    table = csv_import.read_table(b"Organization\nAcacia Center\nBus Riders Union\n")
    assert table.rows == [(2, ["Acacia Center"]), (3, ["Bus Riders Union"])]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "The file is empty."),
        (b"  \r\n\r\n", "The file is empty."),
        (b",,,\n,,\n", "The file needs a header row"),
        (b"Organization,Email\n", "The file needs a header row"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "it contains binary data"),
        (b"\x81\x8d\x8f\x90\x9d", "The file is not text in a known encoding"),
        (b"Name\n" + b"Org\n" * 5001, "The file has more than 5000 rows"),
        (b"Name\n" + b"x" * (2 * 1024 * 1024), "The file is larger than 2 MB"),
    ],
)
def test_unreadable_files_are_refused(content, message):
    with pytest.raises(csv_import.CSVImportError, match=message):
        csv_import.read_table(content)


@pytest.mark.parametrize(
    "state, expected",
    [
        ("New York", "NY"),
        ("new york", "NY"),
        ("NY", "NY"),
        ("ny", "NY"),
        ("N.Y.", "NY"),
        ("District of Columbia", "DC"),
        ("Washington, D.C.", "DC"),
        ("Puerto Rico", "PR"),
        ("Outside the US", "XX"),
        ("", ""),
    ],
)
def test_states_by_name_or_code(state, expected):
    form = csv_import.ImportRowForm({"name": "Acacia Center", "state": state})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["state"] == expected


def test_row_rules():
    checks = csv_import.check_rows(
        [
            (2, {"name": "Acacia", "kind": "Individual", "scope": "Statewide", "website": "acacia.org"}),
            (3, {"name": "Bus", "kind": "robot", "scope": "galactic", "website": "ftp://bus.org"}),
            (4, {"name": "Dana Lee", "kind": "individual", "email": "DANA@example.org"}),
            (5, {"name": "Dana L.", "kind": "individual", "email": "dana@EXAMPLE.org"}),
            (6, {"name": "No Email", "kind": "individual"}),
            (7, {"name": "no email", "kind": "individual"}),  # individuals are told apart by email only
        ],
        taken_names=set(),
        taken_emails={"someone@example.org"},
    )

    assert [(check.number, check.outcome) for check in checks] == [
        (2, "ok"),
        (3, "error"),
        (4, "ok"),
        (5, "duplicate"),
        (6, "ok"),
        (7, "ok"),
    ]
    assert checks[0].values | {"kind": "individual", "scope": "state", "website": "https://acacia.org"} == (
        checks[0].values
    )
    assert checks[1].problems == [
        "Signing as: Unknown kind “robot”: use organization or individual.",
        "Scope: Unknown scope “galactic”: use national, state or local.",
        "Website: Enter a web address starting with http:// or https://.",
    ]
    assert checks[3].problems == ["Duplicate of row 4; it will be skipped."]


# The upload, mapping, preview and confirm pages ----------------------------------------------------


def test_import_flow_saves_only_valid_new_rows_on_confirm(client, owner, letter):
    version = LetterVersion.objects.create(letter=letter, number=1, text={})
    SignatureFactory(letter=letter, name="Already Signed")
    client.force_login(owner)

    response = upload(client, letter, FORM_EXPORT)
    upload_id = client.session[IMPORT_SESSION_KEY]["id"]
    assert response.url == reverse("signatories:staff_import_map", args=[letter.pk]) + f"?upload={upload_id}"

    page = client.get(response.url)
    assert mapping_of(page) == {
        "name": "Organization Name",
        "contact_name": "Your Name",
        "email": "Email Address",
        "city": "City",
        "state": "State",
        "website": "Website",
    }
    assert "signers.csv: 8 rows." in page.content.decode()

    page = preview(client, letter, upload_id, **FORM_MAPPING)
    html = page.content.decode()
    assert (
        "2 rows will be imported as accepted signers; 2 duplicates will be skipped; 4 rows have errors"
        in html
    )
    assert "Email: Enter a valid email address." in html
    assert "Duplicate of row 2; it will be skipped." in html
    assert "State: Unknown state “Atlantis”." in html
    assert "The name is blank." in html
    assert "Duplicate of a signer already on the letter; it will be skipped." in html
    assert "The name is longer than 300 characters." in html
    assert [(check.number, check.outcome) for check in page.context["summary"].checks] == [
        (2, "ok"),
        (3, "error"),
        (4, "duplicate"),
        (5, "error"),
        (6, "error"),
        (7, "duplicate"),
        (8, "error"),
        (9, "ok"),
    ]
    assert letter.signatures.count() == 1  # the preview saved nothing

    response = confirm(client, letter, upload_id, **FORM_MAPPING)

    assert (
        "Imported 2; skipped 2 duplicates; 4 rows with errors were not imported." in response.content.decode()
    )
    imported = letter.signatures.filter(source=Signature.Source.IMPORT).order_by("name")
    assert [
        (s.name, s.contact_name, s.email, s.city, s.state, s.website, s.kind, s.status, s.letter_version)
        for s in imported
    ] == [
        ("Acacia Center", "Ana Ruiz", "ana@acacia.org", "Albany", "NY", "https://acacia.org", "organization",
         "accepted", version),
        ("Al Otro Lado", "Ari", "ari@aol.org", "San Diego", "NY", "https://alotrolado.org", "organization",
         "accepted", version),
    ]  # fmt: skip
    assert all(s.organization is not None for s in imported)  # linked to the directory
    assert imported[0].normalized_name == "acacia center"
    assert LetterEvent.objects.get(action="signers.imported").data == {"count": 2}
    assert IMPORT_SESSION_KEY not in client.session

    # The upload is spent: confirming it again saves nothing more.
    response = confirm(client, letter, upload_id, **FORM_MAPPING)
    assert "That upload is no longer available" in response.content.decode()
    assert letter.signatures.count() == 3


def test_rows_signed_between_preview_and_confirm_are_skipped(client, owner, letter):
    client.force_login(owner)
    upload(client, letter, "Organization\nAcacia Center\nBus Riders Union\n")
    upload_id = client.session[IMPORT_SESSION_KEY]["id"]
    assert len(preview(client, letter, upload_id, name="0").context["summary"].ok) == 2

    SignatureFactory(letter=letter, name="Bus Riders Union", status=Signature.Status.PENDING)
    response = confirm(client, letter, upload_id, name="0")

    assert (
        "Imported 1; skipped 1 duplicates; 0 rows with errors were not imported." in response.content.decode()
    )
    assert sorted(letter.signatures.values_list("name", flat=True)) == ["Acacia Center", "Bus Riders Union"]


def test_mapping_needs_a_name_column(client, owner, letter):
    client.force_login(owner)
    upload(client, letter, "Acacia Center,ana@acacia.org\nBus Riders Union,bo@bru.org\n")
    upload_id = client.session[IMPORT_SESSION_KEY]["id"]

    page = client.get(reverse("signatories:staff_import_map", args=[letter.pk]), {"upload": upload_id})
    assert "None of the column names was recognized" in page.content.decode()
    response = preview(client, letter, upload_id, email="1")
    assert "Choose the column with the signers&#x27; names." in response.content.decode()
    response = preview(client, letter, upload_id, name="7")
    assert "Select a valid choice." in response.content.decode()
    assert not letter.signatures.exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x00\x01\x02\x03binary\xff\xfe", "The file is not a CSV file (it contains binary data)."),
        (b"", "The submitted file is empty."),
        (b"Organization\n", "The file needs a header row naming its columns, then one row per signer."),
        (b"Name\n" + b"Org\n" * 5001, "The file has more than 5000 rows; split it into smaller files."),
        (b"Name\n" + b"x" * (2 * 1024 * 1024), "The file is larger than 2 MB; split it into smaller files."),
    ],
)
def test_bad_files_get_a_clear_message_and_save_nothing(client, owner, letter, content, message):
    client.force_login(owner)

    response = upload(client, letter, content)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert IMPORT_SESSION_KEY not in client.session
    assert not Signature.objects.exists()


def test_import_values_are_escaped_in_pages(client, owner, letter):
    client.force_login(owner)
    upload(client, letter, 'Organization,<img src=x onerror=alert(1)>\n<script>alert(1)</script>,"<b>"\n')
    upload_id = client.session[IMPORT_SESSION_KEY]["id"]

    pages = [
        client.get(reverse("signatories:staff_import_map", args=[letter.pk]), {"upload": upload_id}),
        preview(client, letter, upload_id, name="0", city="1"),
    ]

    for page in pages:
        html = page.content.decode()
        assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_another_letters_upload_cannot_be_previewed_or_confirmed(client, owner, letter, campaign):
    from ..factories import LetterFactory

    other = LetterFactory(campaign=campaign)
    client.force_login(owner)
    upload(client, other, "Organization\nAcacia Center\n")
    upload_id = client.session[IMPORT_SESSION_KEY]["id"]

    response = preview(client, letter, upload_id, name="0")
    assert response.url == reverse("signatories:staff_import", args=[letter.pk])
    response = confirm(client, letter, "not-the-id", name="0")
    assert "That upload is no longer available; please upload the file again." in response.content.decode()
    confirm(client, letter, upload_id, name="0")
    assert not Signature.objects.exists()


def test_export_imports_back_into_another_letter(client, owner, letter, campaign):
    from ..factories import LetterFactory

    SignatureFactory(letter=letter, name="=cmd()", city="Albany", state="NY", scope="national")
    SignatureFactory(letter=letter, name="Dana Lee", kind="individual", email="dana@example.org")
    other = LetterFactory(campaign=campaign)
    client.force_login(owner)
    exported = client.get(reverse("signatories:staff_export", args=[letter.pk])).content

    upload(client, other, exported)
    upload_id = client.session[IMPORT_SESSION_KEY]["id"]
    mapping = {
        name: str(index)
        for name, index in csv_import.guess_mapping(client.session[IMPORT_SESSION_KEY]["header"]).items()
    }
    confirm(client, other, upload_id, **mapping)

    assert sorted(other.signatures.values_list("name", "kind", "email", "city", "state", "scope")) == [
        ("=cmd()", "organization", "", "Albany", "NY", "national"),
        ("Dana Lee", "individual", "dana@example.org", "", "", ""),
    ]


def test_viewer_cannot_import(client, viewer, letter):
    client.force_login(viewer)

    assert upload(client, letter, "Organization\nAcacia Center\n").status_code == 403
    assert confirm(client, letter, "x", name="0").status_code == 403
    assert not Signature.objects.exists()
