"""How signers really type an organization's name: case, apostrophes, "&", "The", Inc., acronyms,
abbreviations, typos, punctuation and spacing. Shared by make_dedupe_set.py and dedupe_bench.py.

Each variant function takes a name and a random.Random and returns another spelling of the same
organization, or None where it does not apply.
"""

import re

# Acronyms these organizations go by, for names that do not give one themselves.
KNOWN_ACRONYMS = {
    "American Civil Liberties Union": "ACLU",
    "American Immigration Council": "AIC",
    "American Immigration Lawyers Association": "AILA",
    "Black Alliance for Just Immigration": "BAJI",
    "Center for Constitutional Rights": "CCR",
    "Center for Gender & Refugee Studies": "CGRS",
    "Center for Popular Democracy": "CPD",
    "Church World Service": "CWS",
    "Detention Watch Network": "DWN",
    "Drug Policy Alliance": "DPA",
    "Evangelical Lutheran Church in America": "ELCA",
    "Friends Committee on National Legislation": "FCNL",
    "Government Accountability Project": "GAP",
    "Human Rights Watch": "HRW",
    "Illinois Coalition for Immigrant and Refugee Rights": "ICIRR",
    "Immigrant Legal Resource Center": "ILRC",
    "International Rescue Committee": "IRC",
    "National Association of Social Workers": "NASW",
    "National Center for Transgender Equality": "NCTE",
    "National Council of Jewish Women": "NCJW",
    "National Domestic Workers Alliance": "NDWA",
    "National Immigrant Justice Center": "NIJC",
    "National Immigration Law Center": "NILC",
    "National Partnership for New Americans": "NPNA",
    "New York Immigration Coalition": "NYIC",
    "Northwest Immigrant Rights Project": "NWIRP",
    "Rocky Mountain Immigrant Advocacy Network": "RMIAN",
    "Southern Border Communities Coalition": "SBCC",
    "Southern Poverty Law Center": "SPLC",
    "Unitarian Universalist Service Committee": "UUSC",
    "Washington Office on Latin America": "WOLA",
    "Women's Refugee Commission": "WRC",
}

ABBREVIATIONS = [
    ("New York", ["NY", "N.Y."]),
    ("New Jersey", ["NJ"]),
    ("National", ["Nat'l", "Natl.", "Natl"]),
    ("International", ["Int'l", "Intl."]),
    ("Association", ["Assn.", "Assoc."]),
    ("Center", ["Ctr.", "Ctr"]),
    ("Minnesota", ["MN"]),
    ("San Francisco", ["SF"]),
    ("University", ["Univ."]),
    ("Department", ["Dept."]),
    ("Committee", ["Cmte."]),
    ("California", ["CA"]),
    ("Texas", ["TX"]),
    ("Pennsylvania", ["PA"]),
    ("Illinois", ["IL"]),
    ("Florida", ["FL"]),
    ("Massachusetts", ["MA"]),
    ("North Carolina", ["NC"]),
    ("South Carolina", ["SC"]),
    ("Oregon", ["OR"]),
    ("Colorado", ["CO"]),
]

STOPWORDS = {"a", "an", "and", "at", "de", "del", "for", "in", "la", "of", "on", "the", "to", "with", "y"}
KEYBOARD_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def neighbours(letter):
    """Letters next to this one on a QWERTY keyboard."""
    for row_index, row in enumerate(KEYBOARD_ROWS):
        if letter in row:
            position = row.index(letter)
            near = {row[position - 1] if position else "", row[position + 1 : position + 2]}
            for other in (row_index - 1, row_index + 1):
                if 0 <= other < len(KEYBOARD_ROWS):
                    near.add(KEYBOARD_ROWS[other][min(position, len(KEYBOARD_ROWS[other]) - 1)])
            return sorted(near - {""})
    return list("aeiou")


def declared_acronym(name):
    """The acronym a name gives in parentheses, if any."""
    match = re.search(r"\(([A-Z][A-Za-z.&]+)\)", name)
    return match.group(1) if match else None


def without_acronym(name):
    return re.sub(r"\s*\([A-Z][A-Za-z.&]+\)", "", name).strip()


def acronym_of(name):
    """The organization's acronym: given, well known, or its significant words' initials."""
    bare = without_acronym(name)
    if declared := declared_acronym(name):
        return declared
    if bare in KNOWN_ACRONYMS:
        return KNOWN_ACRONYMS[bare]
    if re.search(r"[|:]|\b[A-Z]{2,}\b", bare):
        return None  # already has a short form or a separator; initials would be made up
    significant = [word for word in re.findall(r"[A-Za-z']+", bare) if word.lower() not in STOPWORDS]
    if len(significant) >= 3:
        return "".join(word[0].upper() for word in significant)
    return None


def change_case(name, rng):
    title = " ".join(word[:1].upper() + word[1:].lower() for word in name.split(" "))
    options = [name.upper(), name.lower(), title]
    options = [option for option in options if option != name]
    return rng.choice(options) if options else None


def swap_apostrophe(name, rng):
    if "'" in name:
        return name.replace("'", "\u2019")
    if "\u2019" in name:
        return name.replace("\u2019", "'")
    return None


def swap_ampersand(name, rng):
    if " & " in name:
        return name.replace(" & ", " and ", 1)
    if " and " in name:
        return name.replace(" and ", rng.choice([" & ", "&", " + "]) if rng.random() < 0.2 else " & ", 1)
    return None


def toggle_the(name, rng):
    if name.lower().startswith("the "):
        return name[4:]
    if name[:1].isupper() and not name.isupper():
        return "The " + name
    return None


def add_legal_suffix(name, rng):
    if re.search(r"\b(inc|llc|pllc)\b\.?$", name, re.IGNORECASE):
        return re.sub(r",?\s*\b(inc|llc|pllc)\b\.?$", "", name, flags=re.IGNORECASE)
    return name + rng.choice([", Inc.", " Inc.", " Inc", ", Inc", " INC", ", LLC", " Incorporated"])


def add_acronym(name, rng):
    """The acronym in parentheses (or before a colon, or after a dash); or dropped if given."""
    if declared_acronym(name):
        return without_acronym(name)
    acronym = acronym_of(name)
    if not acronym:
        return None
    form = rng.random()
    if form < 0.7:
        return f"{name} ({acronym})"
    if form < 0.85:
        return f"{acronym}: {name}"
    return f"{name} - {acronym}"


def acronym_alone(name, rng):
    """The acronym by itself, for organizations known by one (given in the name or well known)."""
    acronym = declared_acronym(name) or KNOWN_ACRONYMS.get(without_acronym(name))
    if not acronym:
        return None
    return acronym if rng.random() < 0.85 else ".".join(acronym) + "."


def abbreviate(name, rng):
    present = [(long, shorts) for long, shorts in ABBREVIATIONS if re.search(rf"\b{long}\b", name)]
    if not present:
        return None
    long, shorts = rng.choice(present)
    return re.sub(rf"\b{long}\b", rng.choice(shorts), name, count=1)


def typo(name, rng, *, first_letter=False):
    """One letter dropped, doubled, swapped with the next or replaced by a neighbouring key."""
    words = name.split(" ")
    choices = [i for i, word in enumerate(words) if len(word) >= 4 and word.isalpha()]
    if not choices:
        return None
    index = rng.choice(choices)
    word = words[index]
    position = rng.randrange(0 if first_letter else 1, len(word))
    operation = rng.choice(["drop", "double", "swap", "replace"])
    if operation == "drop":
        word = word[:position] + word[position + 1 :]
    elif operation == "double":
        word = word[:position] + word[position] + word[position:]
    elif operation == "swap" and position < len(word) - 1 and word[position] != word[position + 1]:
        word = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    else:
        letter = rng.choice(neighbours(word[position].lower()))
        word = (
            word[:position] + (letter.upper() if word[position].isupper() else letter) + word[position + 1 :]
        )
    words[index] = word
    return " ".join(words)


def drop_punctuation(name, rng):
    stripped = re.sub(r"[,'\u2019]|\.(?!\w)", "", name)  # not the dot in "Presente.org"
    stripped = re.sub(r"\s+-+\s+", " ", stripped)
    stripped = re.sub(r"(?<=\w)-(?=\w)", rng.choice([" ", ""]), stripped)
    return stripped if stripped != name else None


def extra_spaces(name, rng):
    words = name.split(" ")
    if len(words) < 2:
        return f" {name} "
    index = rng.randrange(1, len(words))
    return " ".join(words[:index]) + rng.choice(["  ", "   ", " \u00a0"]) + " ".join(words[index:]) + " "


VARIANTS = {
    "case": change_case,
    "apostrophe": swap_apostrophe,
    "ampersand": swap_ampersand,
    "the": toggle_the,
    "legal": add_legal_suffix,
    "acronym": add_acronym,
    "acronym_alone": acronym_alone,
    "abbreviation": abbreviate,
    "typo": typo,
    "punctuation": drop_punctuation,
    "spaces": extra_spaces,
}


def variant(name, rng, mix):
    """One variant of name, its kind drawn by weight from mix ({kind: weight}); None if none applies."""
    kinds = list(mix)
    for _ in range(8):
        kind = rng.choices(kinds, weights=[mix[k] for k in kinds])[0]
        result = VARIANTS[kind](name, rng)
        if result and result.strip() != name:
            return kind, result
    return None
