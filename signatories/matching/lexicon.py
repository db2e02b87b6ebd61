"""Word lists the name matcher relies on: abbreviations, places, stopwords and legal suffixes."""

US_STATES = {
    "alabama": "al", "alaska": "ak", "arizona": "az", "arkansas": "ar", "california": "ca",
    "colorado": "co", "connecticut": "ct", "delaware": "de", "florida": "fl", "georgia": "ga",
    "hawaii": "hi", "idaho": "id", "illinois": "il", "indiana": "in", "iowa": "ia", "kansas": "ks",
    "kentucky": "ky", "louisiana": "la", "maine": "me", "maryland": "md", "massachusetts": "ma",
    "michigan": "mi", "minnesota": "mn", "mississippi": "ms", "missouri": "mo", "montana": "mt",
    "nebraska": "ne", "nevada": "nv", "new hampshire": "nh", "new jersey": "nj", "new mexico": "nm",
    "new york": "ny", "north carolina": "nc", "north dakota": "nd", "ohio": "oh", "oklahoma": "ok",
    "oregon": "or", "pennsylvania": "pa", "rhode island": "ri", "south carolina": "sc",
    "south dakota": "sd", "tennessee": "tn", "texas": "tx", "utah": "ut", "vermont": "vt",
    "virginia": "va", "washington": "wa", "west virginia": "wv", "wisconsin": "wi", "wyoming": "wy",
    "puerto rico": "pr",
}  # fmt: skip

# Postal codes that are also words or other abbreviations in names ("Faith IN Texas", "Al Otro Lado",
# "Mi Familia Vota", "La Resistencia", "Ms.", "Mt."): expanding them could merge different names.
AMBIGUOUS_STATE_CODES = set("al co de hi id in la me mi ms mt ne oh ok or pr".split())

# Abbreviations with one meaning in organization names, written out so that "NY" equals "New York".
# Left out on purpose: "St" (Saint or Street), "Co" (Company, County or Colorado), "Comm" (Committee,
# Commission or Community), "Inst" (Institute or Institution), "Amer" (America or American).
ABBREVIATIONS = {
    **{code: tuple(state.split()) for state, code in US_STATES.items() if code not in AMBIGUOUS_STATE_CODES},
    "nyc": ("new", "york", "city"),
    "sf": ("san", "francisco"),
    "nola": ("new", "orleans"),
    "philly": ("philadelphia",),
    "natl": ("national",),
    "ntl": ("national",),
    "intl": ("international",),
    "assn": ("association",),
    "assoc": ("association",),
    "ctr": ("center",),
    "cntr": ("center",),
    "centre": ("center",),
    "dept": ("department",),
    "univ": ("university",),
    "svc": ("service",),
    "svcs": ("services",),
    "cmte": ("committee",),
    "ctte": ("committee",),
    "cttee": ("committee",),
    "govt": ("government",),
    "mgmt": ("management",),
    "fdn": ("foundation",),
    "fndn": ("foundation",),
    "educ": ("education",),
    "proj": ("project",),
    "hlth": ("health",),
    "mtn": ("mountain",),
    "cncl": ("council",),
    "acad": ("academy",),
    "corp": ("corporation",),
}

# Words that only state the legal form: "Families for Freedom, Inc." is "Families for Freedom".
LEGAL_SUFFIXES = {"inc", "incorporated", "llc", "ltd", "pllc", "llp", "lp", "pbc", "nfp"}

# Short words that acronyms may skip ("NNIRR" for "National Network for Immigrant and Refugee Rights").
STOPWORDS = {
    "a", "an", "and", "at", "by", "de", "del", "des", "do", "dos", "du", "e", "el", "for", "in", "la",
    "las", "le", "los", "of", "on", "the", "to", "with", "y",
}  # fmt: skip

# Stopwords a signer may drop or add inside a name without naming another organization.
OPTIONAL_WORDS = {"and", "of", "for", "the"}

# Words that tell apart chapters and look-alikes even when they are one letter apart.
DIRECTIONS = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeast", "northwest", "southeast", "southwest", "upper", "lower", "greater", "mid",
}  # fmt: skip
CITIES = {
    "albany", "albuquerque", "anchorage", "atlanta", "austin", "baltimore", "berkeley", "birmingham",
    "boise", "boston", "boulder", "bronx", "brooklyn", "buffalo", "burlington", "charlotte", "chicago",
    "cincinnati", "cleveland", "columbus", "dallas", "dayton", "denver", "detroit", "durham", "el paso",
    "fresno", "hartford", "honolulu", "houston", "indianapolis", "jackson", "juneau", "lansing",
    "las vegas", "lincoln", "long beach", "los angeles", "louisville", "madison", "manhattan", "marin",
    "marion", "memphis", "miami", "milwaukee", "minneapolis", "nashville", "newark", "new orleans",
    "oakland", "omaha", "orlando", "philadelphia", "phoenix", "pittsburgh", "portland", "providence",
    "queens", "raleigh", "reno", "richmond", "rochester", "sacramento", "salem", "salt lake", "san antonio",
    "san diego", "san francisco", "san jose", "santa cruz", "santa fe", "seattle", "spokane", "st louis",
    "staten island", "syracuse", "tacoma", "tampa", "toledo", "trenton", "tucson", "tulsa", "wichita",
    "worcester", "yonkers",
}  # fmt: skip
COUNTRIES = {
    "afghanistan", "brazil", "canada", "china", "colombia", "cuba", "ecuador",
    "guatemala", "haiti", "honduras", "india", "iran", "iraq", "korea", "mexico", "nicaragua", "salvador",
    "syria", "ukraine", "usa", "venezuela", "yemen",
}  # fmt: skip
GENERIC_PLACE_WORDS = {
    "new",
    "san",
    "santa",
    "st",
    "los",
    "las",
    "el",
    "of",
    "island",
    "city",
    "lake",
    "long",
}

# Each word of a state, city or country name, so that "Denver" and "Boston" count as places.
PLACE_WORDS = (
    {word for place in [*US_STATES, *CITIES, *COUNTRIES] for word in place.split()} - GENERIC_PLACE_WORDS
) | DIRECTIONS

# Spellings one letter apart that name different groups of people.
CONTRASTING_WORDS = [
    {"latin", "latino", "latina", "latinx", "latine", "latinos", "latinas"},
    {"human", "humane"},
    {"chicano", "chicana", "chicanx"},
]

# Not acronyms even when written in capitals in parentheses: places and country codes.
NOT_ACRONYMS = {"usa", "nyc", "nola", "dmv", "uk", "eu", "un", *US_STATES.values()}
