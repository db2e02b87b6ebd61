"""Build bench/data/dedupe_labelled.tsv: real signer names plus the variants signers type.

    .venv/bin/python bench/make_dedupe_set.py [--seeds ../shared/seeds] [--out bench/data/dedupe_labelled.tsv]

Rows are "name<TAB>cluster_id"; names with one cluster_id are one organization. The organizations are
the signers of two real letters in shared/seeds (000_*.txt, 004_*.txt); each gets 0-2 variants drawn
from bench/variants.py, and look-alikes that are other organizations (chapters, other states, the
issue's examples) get clusters of their own. Deterministic: the same seeds give the same file.
"""

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from variants import KNOWN_ACRONYMS, declared_acronym, variant  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"
DEFAULT_OUT = ROOT / "bench" / "data" / "dedupe_labelled.tsv"
LETTERS = ["000_*.txt", "004_*.txt"]

# Signers of the two letters that are one organization under two spellings.
SAME_ORGANIZATION = [
    ("Make the Road NY", "Make the Road New York"),
    ("American Friends Service Committee (AFSC)", "American Friends Service Committee"),
    ("Families For Freedom INC", "Families for Freedom"),
    ("National Immigration Project (NIPNLG)", "National Immigration Project"),
    ("Latin America Working Group (LAWG)", "Latin America Working Group"),
    (
        "National Network for Immigrant and Refugee Rights (NNIRR)",
        "National Network for Immigrant and Refugee Rights",
    ),
    (
        "Pennsylvania Immigrant and Citizenship Coalition",
        "Pennsylvania Immigration and Citizenship Coalition",
    ),
    ("H-CAN Immigration and Refugees Action Group", "H-CAN Immigration and Refugee group"),
]

# The issue's examples of one organization typed two ways.
ISSUE_VARIANTS = {
    "Black Alliance for Just Immigration": ["Black Alliance for Just Immigration (BAJI)"],
    "Faith In Texas": ["FAITH IN TEXAS"],
    "Capital Area Immigrants' Rights (CAIR) Coalition": [
        "Capital Area Immigrants\u2019 Rights (CAIR) Coalition"
    ],
    "ISLA": ["ISLA: Immigration Services and Legal Advocacy"],
}

# Other organizations that look like signers: chapters, other states, other branches.
LOOK_ALIKES = [
    "Make the Road New Jersey",
    "Make the Road Connecticut",
    "Make the Road Nevada",
    "Indivisible Denver",
    "Indivisible Austin",
    "Indivisible Chicago",
    "American Friends Service Committee, Colorado",
    "American Friends Service Committee - Pacific Southwest Region",
    "CAIR WA",
    "Council on American-Islamic Relations (CAIR)",
    "Amnesty International",
    "ACLU of Texas",
    "ACLU of Northern California",
    "American Civil Liberties Union of Colorado",
    "Asian Americans Advancing Justice - Los Angeles",
    "Asian Americans Advancing Justice - Chicago",
    "Church World Service Durham",
    "Faith in Action Bay Area",
    "Legal Aid Society",
    "Sisters of Mercy of the Americas",
    "Mennonite Central Committee",
    "Human Rights Campaign Foundation",
    "Friends Committee on Legislation of California",
    "Unitarian Universalist Association",
    "Latino Community Foundation",
    "Center for Survivors of Torture",
    "Colorado Freedom Fund",
    "Pax Christi USA",
    "Pax Christi Metro New York",
    "Bend the Arc: Jewish Action Chicago",
    "Virginia Coalition for Immigrant Rights",
    "Washington Immigrant Solidarity Network",
    "Physicians for Human Rights - Chicago Chapter",
    "Texas Civil Rights Project - Rio Grande Valley",
    "Florida Immigrant Coalition",
    "Tennessee Immigrant and Refugee Rights Coalition",
]

MIX = {
    "case": 2,
    "apostrophe": 1,
    "ampersand": 1,
    "the": 1,
    "legal": 1,
    "acronym": 1.5,
    "acronym_alone": 1,
    "abbreviation": 1.5,
    "typo": 3,
    "punctuation": 1.5,
    "spaces": 1,
}
RANDOM_SEED = 20240229


def seed_names(seeds):
    """Signer names of the seed letters, in order, each once: the lines after "Sincerely," until "CC:"."""
    names = []
    for pattern in LETTERS:
        for path in sorted(seeds.glob(pattern)):
            listing = path.read_text(encoding="utf-8").split("Sincerely,", 1)[1]
            for line in listing.splitlines():
                line = line.strip()
                if line.startswith("CC:"):
                    break
                if line and line != "Joined by:" and line not in names:
                    names.append(line)
    return names


def clusters(names):
    """[(cluster_id, [names])]: each seed organization with its other spellings, then look-alikes."""
    same = {second: first for first, second in SAME_ORGANIZATION}
    grouped = {}
    for name in names:
        grouped.setdefault(same.get(name, name), []).append(name)
    for name in LOOK_ALIKES:
        assert name not in grouped, name
        grouped[name] = [name]
    for canonical, extra in ISSUE_VARIANTS.items():
        grouped[canonical].extend(extra)
    return [(f"org{number:03}", spellings) for number, spellings in enumerate(grouped.values(), 1)]


def with_variants(groups, rng, mix):
    """Each cluster's names plus 0-2 generated variants, skipping any spelling already present."""
    seen = {name for _, spellings in groups for name in spellings}
    rows = []
    for cluster_id, spellings in groups:
        rows.extend((name, cluster_id) for name in spellings)
        canonical = spellings[0]
        known = declared_acronym(canonical) or canonical in KNOWN_ACRONYMS
        count = rng.choices([0, 1, 2], weights=[45, 42, 20 if known else 10])[0]
        for _ in range(count):
            drawn = variant(canonical, rng, mix)
            if drawn and drawn[1] not in seen:
                seen.add(drawn[1])
                rows.append((drawn[1], cluster_id))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    rows = with_variants(clusters(seed_names(args.seeds)), random.Random(RANDOM_SEED), MIX)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="\n") as out:
        out.write("name\tcluster_id\n")
        for name, cluster_id in rows:
            out.write(f"{name}\t{cluster_id}\n")
    print(f"{len(rows)} names in {len({c for _, c in rows})} clusters -> {args.out}")


if __name__ == "__main__":
    main()
