"""The organization-name matcher: normalization rules, acronyms, typos, look-alikes kept apart, blocking."""

import pytest

from signatories.matching import (
    EXACT,
    PROBABLE,
    NameIndex,
    best_matches,
    group_names,
    match,
    normalize_name,
    parse_name,
    sort_key,
)

# The issue's examples: one organization typed two ways, and look-alikes that are other organizations.
SAME = [
    ("Make the Road NY", "Make the Road New York"),
    ("Black Alliance for Just Immigration", "Black Alliance for Just Immigration (BAJI)"),
    ("FAITH IN TEXAS", "Faith In Texas"),
    (
        "Capital Area Immigrants' Rights (CAIR) Coalition",
        "Capital Area Immigrants\u2019 Rights (CAIR) Coalition",
    ),
    ("ISLA", "ISLA: Immigration Services and Legal Advocacy"),
]
LOOK_ALIKES = [
    ("Make the Road New Jersey", "Make the Road New York"),
    ("Indivisible", "Indivisible Denver"),
    ("Physicians for Human Rights", "Physicians for Human Rights at SUNY Downstate"),
    ("Human Rights First", "Human Rights Watch"),
    ("American Friends Service Committee", "American Friends Service Committee, Colorado"),
    ("CAIR WA", "Capital Area Immigrants' Rights (CAIR) Coalition"),
]


def grouped(names):
    """The groups as lists of names, for readable assertions."""
    return [[names[position] for position in group.members] for group in group_names(names)]


# Normalization: each rule, and that the key stays certain.


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Faith In Texas", "FAITH IN TEXAS"),  # case
        ("Women's Refugee Commission", "Women\u2019s Refugee Commission"),  # curly apostrophe
        ("Women's Refugee Commission", "Women\u02bcs Refugee Commission"),  # modifier-letter apostrophe
        (
            "Asian Americans Advancing Justice-Atlanta",
            "Asian Americans Advancing Justice \u2013 Atlanta",
        ),  # dashes
        ("Alianza Americas", "Alianza\u00a0Americas"),  # no-break space
        ("Alianza Americas", "  Alianza \t  Americas "),  # runs of spaces
        ("Center for Gender & Refugee Studies", "Center for Gender and Refugee Studies"),  # &
        ("Center for Gender + Refugee Studies", "Center for Gender and Refugee Studies"),  # +
        (
            "Center for Racial Justice, UC Santa Cruz",
            "Center for Racial Justice UC Santa Cruz",
        ),  # punctuation
        ("Humanitarian Outreach (H.O.M.E.)", "Humanitarian Outreach (HOME)"),  # dotted initials
        ("The Bronx Defenders", "Bronx Defenders"),  # leading The
        ("Bronx Defenders, The", "Bronx Defenders"),  # The as a directory lists it
        ("Families For Freedom INC", "Families for Freedom"),  # legal suffix
        ("Florida Legal Services, Inc.", "Florida Legal Services"),
        ("LCH Behavioral Health Services PLLC", "LCH Behavioral Health Services"),
        ("Acme Advocates, L.L.C.", "Acme Advocates"),
        ("Presente.org", "Presente"),  # web address
        ("Make the Road NY", "Make the Road New York"),  # state codes
        ("Make the Road N.Y.", "Make the Road New York"),
        ("MN Freedom Fund", "Minnesota Freedom Fund"),
        (
            "Justice & Diversity Center of the Bar Association of SF",
            "Justice & Diversity Center of the Bar Association of San Francisco",
        ),
        ("Natl Immigration Law Center", "National Immigration Law Center"),  # other abbreviations
        ("Nat'l Immigration Law Center", "National Immigration Law Center"),
        ("Int'l Rescue Committee", "International Rescue Committee"),
        ("Immigrant Legal Resource Ctr.", "Immigrant Legal Resource Center"),
        ("American Immigration Lawyers Assn.", "American Immigration Lawyers Association"),
    ],
)
def test_normalization_rule_gives_one_key(first, second):
    assert normalize_name(first) == normalize_name(second)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("The Sierra Club", "sierra club"),
        ("Black Alliance for Just Immigration (BAJI)", "black alliance for just immigration"),
        ("Capital Area Immigrants' Rights (CAIR) Coalition", "capital area immigrants rights coalition"),
        ("ISLA: Immigration Services and Legal Advocacy", "immigration services and legal advocacy"),
        (
            "Louisiana Organization for Refugees and Immigrants - LORI",
            "louisiana organization for refugees and immigrants",
        ),
        ("Immigrant Legal Resource Center [ILRC]", "immigrant legal resource center"),
        ("Immigrant Legal Resource Center/ILRC", "immigrant legal resource center"),
        # Several letters from one word, stopwords skipped: the acronym still spells the name.
        (
            "The Immigrant Health Equity and Legal Partnership (ImmHELP)",
            "immigrant health equity and legal partnership",
        ),
        (
            "National Korean American Service & Education Consortium (NAKASEC)",
            "national korean american service and education consortium",
        ),
    ],
)
def test_an_acronym_that_spells_the_name_leaves_the_key(name, key):
    assert normalize_name(name) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        # A loose acronym may say more than the words ("LA" for Los Angeles): the key keeps it.
        ("Coalition for Humane Immigrant Rights (CHIRLA)", "coalition for humane immigrant rights chirla"),
        ("National Immigration Project (NIPNLG)", "national immigration project nipnlg"),
        # A state in parentheses is a chapter, not an acronym.
        ("End Solitary Santa Cruz County [CA]", "end solitary santa cruz county california"),
        ("Make the Road (NJ)", "make the road new jersey"),
        # Codes that are also words are never expanded in the key, whatever their case.
        ("Faith IN Texas", "faith in texas"),
        ("AL OTRO LADO", "al otro lado"),
        ("Mi Familia Vota", "mi familia vota"),
        ("La Resistencia", "la resistencia"),
        # Ambiguous abbreviations stay as written.
        ("St. Paul Sanctuary", "st paul sanctuary"),
        ("Acme Co", "acme co"),
        ("Estrella del Paso (Formerly DMRS)", "estrella del paso formerly dmrs"),
    ],
)
def test_the_key_keeps_what_could_name_another_organization(name, key):
    assert normalize_name(name) == key


@pytest.mark.parametrize(("first", "second"), LOOK_ALIKES)
def test_look_alikes_get_different_keys(first, second):
    assert normalize_name(first) != normalize_name(second)


def test_key_is_deterministic_bounded_and_never_blank():
    long_name = "Coalition of " + " ".join(["NY"] * 200)
    assert len(normalize_name(long_name)) == 300
    # Names that differ only past the 300th character of their keys keep different keys.
    assert normalize_name(long_name + " NJ") != normalize_name(long_name + " NV")
    assert normalize_name(long_name + " NJ") == normalize_name(long_name + " New Jersey")
    assert normalize_name("Make the Road NY") == normalize_name("Make the Road NY")
    assert normalize_name("---") == "---"
    assert normalize_name("The") == "the"
    assert normalize_name("Inc.") == "inc"
    assert normalize_name("") == normalize_name(None) == ""


def test_sort_key_ignores_case_and_a_leading_the():
    names = ["the Zinn Project", "Acacia Center", "The Bronx Defenders", "bend the Arc"]
    assert sorted(names, key=sort_key) == [
        "Acacia Center",
        "bend the Arc",
        "The Bronx Defenders",
        "the Zinn Project",
    ]


# The issue's examples.


@pytest.mark.parametrize(("first", "second"), SAME)
def test_the_issues_examples_of_one_organization_match(first, second):
    found = match(first, second)
    assert found is not None and 0 < found.confidence <= 1 and found.reason
    [group] = group_names([first, second])
    assert group.members == (0, 1)


@pytest.mark.parametrize(("first", "second"), LOOK_ALIKES)
def test_the_issues_look_alikes_stay_apart(first, second):
    assert match(first, second) is None
    assert match(second, first) is None
    assert group_names([first, second]) == []


def test_look_alikes_stay_apart_among_the_names_that_do_group():
    names = [name for pair in SAME + LOOK_ALIKES for name in pair]
    groups = grouped(names)
    for first, second in SAME:
        assert any(first in group and second in group for group in groups), (first, second)
    for first, second in LOOK_ALIKES:
        assert not any(first in group and second in group for group in groups), (first, second)


# Acronyms.


def test_an_acronym_alone_matches_the_name_that_gives_it():
    found = match("BAJI", "Black Alliance for Just Immigration (BAJI)")
    assert (found.kind, found.rule, found.confidence) == (PROBABLE, "acronym", 0.92)
    assert found.reason == "acronym BAJI is given for Black Alliance for Just Immigration (BAJI)"
    assert match("h.o.m.e.", "Humanitarian Outreach for Migrant Emotional Health (H.O.M.E.)") is not None


def test_an_acronym_alone_matches_initials_with_less_confidence():
    found = match("ACLU", "American Civil Liberties Union")
    assert (found.rule, found.confidence) == ("initials", 0.8)
    assert "matches the initials of American Civil Liberties Union" in found.reason
    # Stopwords may or may not give a letter; "Northwest" gives two.
    assert match("NNIRR", "National Network for Immigrant and Refugee Rights") is not None
    assert match("WOLA", "Washington Office on Latin America") is not None
    assert match("NWIRP", "Northwest Immigrant Rights Project (NWIRP)") is not None


def test_initials_need_an_acronym_written_in_capitals():
    assert match("Aclu", "American Civil Liberties Union") is None
    assert match("ACLU", "American Civil Liberties Union of Texas") is None


def test_a_name_using_a_declared_acronym_matches_the_full_name():
    found = match("CAIR Coalition", "Capital Area Immigrants' Rights (CAIR) Coalition")
    assert found.rule == "acronym"
    assert "CAIR stands for capital area immigrants rights" in found.reason


def test_a_loose_acronym_adds_nothing_to_the_compared_words():
    found = match("Coalition for Humane Immigrant Rights (CHIRLA)", "Coalition for Humane Immigrant Rights")
    assert found.reason == "same name apart from the acronym CHIRLA"
    assert match("National Immigration Project", "National Immigration Project (NIPNLG)") is not None
    assert match("CHIRLA", "Coalition for Humane Immigrant Rights (CHIRLA)") is not None


def test_an_unrelated_word_in_parentheses_or_after_a_bar_is_not_an_acronym():
    assert match("Asian Americans Advancing Justice | AAJC", "Asian Americans Advancing Justice") is None
    assert match("Indivisible (Denver)", "Indivisible") is None
    assert match("Physicians for Human Rights (SUNY)", "Physicians for Human Rights") is None


def test_an_acronym_two_organizations_give_groups_with_neither():
    names = [
        "Capital Area Immigrants' Rights (CAIR) Coalition",
        "Council on American-Islamic Relations (CAIR)",
        "CAIR",
    ]
    assert group_names(names) == []
    # Asked about one name, the matcher offers both for staff to choose.
    assert sorted(position for position, _ in best_matches("CAIR", names[:2])) == [0, 1]


def test_a_declared_acronym_outweighs_initials_shared_by_chance():
    names = ["African Communities Together (ACT)", "Alliance for Climate Transformation", "ACT"]
    assert grouped(names) == [["African Communities Together (ACT)", "ACT"]]
    assert [position for position, _ in best_matches("ACT", names[:2])] == [0]


def test_initials_shared_by_two_organizations_link_neither():
    names = ["African Communities Together", "Alliance for Climate Transformation", "ACT"]
    assert group_names(names) == []


# Typos and small words.


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Immigrant Legal Resource Center", "Immigrant Legal Resouce Center"),  # letter dropped
        ("Immigrant Legal Resource Center", "Immigrant Legal Resourrce Center"),  # letter doubled
        ("Immigrant Legal Resource Center", "Immigrant Legal Resoucre Center"),  # letters swapped
        ("Immigrant Legal Resource Center", "Immigrant Legal Resoirce Center"),  # neighbouring key
        ("Legal Aid Society of San Diego", "eLgal Aid Society of San Diego"),  # first letters swapped
        ("Make the Road Connecticut", "Make the Rad Connecticut"),  # short word, long name
        ("Center for Gender and Refugee Studies", "Center fro Gender and Refugee Studies"),  # stopword
        ("Legal Aid Justice Center", "Lgal Aid Justide Center"),  # two typos in four words
        ("Sojourners", "Sojourmers"),  # one long word
        ("Solitaryconfinement.org", "Solitary Confinement.org"),  # spacing
        ("Center for Gender and Refugee Studies", "Center for Gender Refugee Studies"),  # small word
    ],
)
def test_typos_and_small_words_match_as_probable(first, second):
    found = match(first, second)
    assert found is not None and found.kind in (EXACT, PROBABLE) and found.reason
    assert grouped([first, second]) == [[first, second]]


def test_a_typo_reason_names_the_words():
    found = match("Immigrant Legal Resource Center", "Immigrant Legal Resouce Center")
    assert (found.kind, found.rule) == (PROBABLE, "typo")
    assert found.reason.startswith("typo: ") and "resource / resouce" in found.reason
    assert 0.85 <= found.confidence <= 0.95


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Marin Interfaith Council", "Marion Interfaith Council"),  # two places
        ("Latino Community Center", "Latina Community Center"),  # two groups of people
        ("Humane Society", "Human Society"),
        ("SEIU Local 32", "SEIU Local 33"),  # numbers
        ("Law Center of Ohio", "Lab Center of Ohio"),  # three-letter words
        ("Legal Defense Fund", "Regal Defense Fund"),  # another first letter
        ("CASA", "CASH"),  # one short word
        ("NILC", "NIJC"),
        ("Indivisible IN", "Indivisible"),  # a state code is not a small word
        ("Indivisible OR", "Indivisible"),
        ("Center for Justice and Peace", "Center for Peace and Justice"),  # another order
        ("Collor Of Chamge", "Color Of Change"),  # two typos in three words
        ("Muslim Advocates", "Mislim Advocaates"),
    ],
)
def test_differences_that_can_name_another_organization_stay_apart(first, second):
    assert match(first, second) is None


def test_accents_are_compared_but_kept_in_the_key():
    assert normalize_name("Amigos del Río") == "amigos del río"
    found = match("Trans Queer Pueblo - Semilla de Liberación", "Trans Queer Pueblo - Semilla de Liberacion")
    assert (found.kind, found.reason) == (PROBABLE, "same name apart from accents")


def test_abbreviations_read_from_capitals_match():
    assert match("OR Justice Resource Center", "Oregon Justice Resource Center").reason == (
        "same name once OR is written out"
    )
    assert match("Amnesty International US", "Amnesty International USA") is not None
    assert (
        match("Prisoners' Legal Services of Mass.", "Prisoners' Legal Services of Massachusetts") is not None
    )
    assert match("Stand With Us", "Stand With USA") is None


# Groups, blanks, best matches and blocking.


def test_groups_carry_kind_confidence_and_reasons():
    names = [
        "Make the Road NY",
        "Faith in Texas",
        "Make the Road New York",
        "BAJI",
        "Black Alliance for Just Immigration",
    ]
    exact, probable = group_names(names)
    assert (exact.members, exact.kind, exact.confidence) == ((0, 2), EXACT, 1.0)
    assert exact.reason == "same name after normalization"
    assert (probable.members, probable.kind, probable.confidence) == ((3, 4), PROBABLE, 0.8)
    assert probable.reason == "acronym BAJI matches the initials of Black Alliance for Just Immigration"


def test_a_group_reports_its_weakest_link_first():
    names = [
        "Black Alliance for Just Immigration",
        "Black Alliance for Just Immigration (BAJI)",
        "BAJI",
        "Blak Alliance for Just Immigration",
    ]
    [group] = group_names(names)
    assert group.members == (0, 1, 2, 3)
    assert group.kind == PROBABLE and group.confidence == 0.92
    assert group.reason.startswith("acronym BAJI is given for")
    assert "typo" in group.reason and "same name after normalization" in group.reason


def test_blank_and_symbol_only_names_are_never_grouped():
    assert group_names(["", "  ", "---", "---", "", "Sojourners", "sojourners"]) == group_names(
        ["", "  ", "---", "---", "", "Sojourners", "sojourners"]
    )
    [group] = group_names(["", "  ", "---", "---", "", "Sojourners", "sojourners"])
    assert group.members == (5, 6)


def test_repeated_names_form_one_exact_group():
    [group] = group_names(["Sojourners"] * 5)
    assert (group.members, group.kind) == ((0, 1, 2, 3, 4), EXACT)


def test_best_matches_ranks_a_directory():
    directory = ["Human Rights Watch", "Human Rights First", "Human Rights Frist", "Human Rights First"]
    index = NameIndex(directory)
    found = best_matches("HUMAN RIGHTS FIRST", index)
    assert [position for position, _ in found] == [1, 3, 2]
    assert [m.kind for _, m in found] == [EXACT, EXACT, PROBABLE]
    assert best_matches("Human Rights Campaign", index) == []
    assert best_matches("Human Rights First", directory, limit=1)[0][0] == 1


def filler(count):
    """Distinct, realistic-looking organization names that match none of the issue's examples."""
    places = ["Ohio", "Iowa", "Utah", "Texas", "Denver", "Boston", "Tucson", "Fresno", "Omaha", "Tulsa"]
    topics = [
        "Worker",
        "Tenant",
        "Refugee",
        "Youth",
        "Faith",
        "Housing",
        "Health",
        "Climate",
        "Labor",
        "Peace",
    ]
    kinds = ["Coalition", "Network", "Alliance", "Project", "Council", "Collective", "Forum", "League"]
    names = [f"{p} {t} {k}" for p in places for t in topics for k in kinds]
    names += [f"Indivisible {p} {k}" for p in places for k in kinds]
    return names[:count]


def test_blocking_finds_every_example_among_many_names():
    names = filler(880)
    assert group_names(names) == []
    for first, second in SAME:
        index = NameIndex([*names, second])
        assert len(names) in index.candidates(parse_name(first))
        assert [position for position, _ in index.best_matches(first)] == [len(names)]
        groups = group_names([*names[:400], first, *names[400:], second])
        assert [group.members for group in groups] == [(400, len(names) + 1)], (first, second)


def test_blocking_finds_typos_in_large_buckets():
    chapters = [f"Indivisible {place}" for place in filler(880)]
    groups = group_names([*chapters, "Indivisible Ohio Worker Colaition"])
    assert [group.members for group in groups] == [(0, len(chapters))]
