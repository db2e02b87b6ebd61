"""Benchmark: the final letter, database to PDF, against bare WeasyPrint on the same final HTML.

    .venv/bin/python bench/pdf_bench.py            # letters with 194 and 5,000 signers
    .venv/bin/python bench/pdf_bench.py 194 1000   # other sizes

End to end is what the "Render PDF" button sets off, run in-process (Celery eager): read the letter
and its signers from the database, build the final HTML, hash it, record the rendering, claim it
in the task, render in a forked child under the time and memory limits, checksum and store the file.
Bare is `weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")` on that same HTML (its
stylesheet inlined), in this process. Best of 3 for each, alternating, in the same run.
Targets: end to end at most 1.15 x bare; peak memory of the render under 300 MB for 5,000 signers.

The database is a throwaway SQLite file; files go to a temporary MEDIA_ROOT. Nothing else is touched.
"""

import atexit
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = Path(tempfile.mkdtemp(prefix="pdf-bench-"))
atexit.register(shutil.rmtree, WORKDIR, ignore_errors=True)
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{WORKDIR / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(WORKDIR / "media"),
        "SECRET_KEY": "benchmark-only",  # DEBUG off, as in production: no query log
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
    }
)
os.environ.pop("REDIS_URL", None)  # tasks run in-process
sys.path.insert(0, str(ROOT))

import django  # noqa: E402
import weasyprint  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from weasyprint import HTML  # noqa: E402

from campaigns.models import Campaign  # noqa: E402
from letters import rendering as rendering_module  # noqa: E402
from letters.models import Ask, CarbonCopy, Contact, Letter, Recipient, Rendering  # noqa: E402
from letters.pdf import STATIC_SCHEME, build_final_letter, pdf_resources  # noqa: E402
from letters.pdf_sandbox import PDF_OPTIONS  # noqa: E402
from letters.rendering import rendering_request  # noqa: E402
from signatories.matching import normalize_name  # noqa: E402
from signatories.models import Signature  # noqa: E402

WORDS = (
    "Immigrant Refugee Human Rights Justice Legal Civil Liberties Health Community Faith Action "
    "Defense Freedom Family Workers Education Housing Equity Asylum Detention Reentry Youth Women"
).split()
KINDS = "Coalition Center Project Network Alliance Council Institute Fund Committee Collective Clinic".split()
PLACES = "Texas Ohio Oregon Florida Boston Chicago Denver Fresno Tucson Newark Atlanta Houston".split()
BODY = "".join(
    f"<p>{' '.join(random.Random(n).choice(WORDS).lower() for _ in range(90))}.</p>" for n in range(6)
)

last_result = {}


def record_results(render_isolated):
    """Pass-through that keeps the last RenderResult, for its memory figures."""

    def wrapper(*args, **kwargs):
        result = render_isolated(*args, **kwargs)
        last_result["result"] = result
        return result

    return wrapper


def org_names(count, seed):
    rng = random.Random(seed)
    names = {}
    while len(names) < count:
        name = f"{rng.choice(['', 'The '])}{rng.choice(PLACES)} {rng.choice(WORDS)} {rng.choice(WORDS)} "
        name += rng.choice(KINDS)
        if rng.random() < 0.3:
            name += f" of {rng.choice(PLACES)} ({rng.choice(WORDS)[:4].upper()})"
        names.setdefault(normalize_name(name), " ".join(name.split()))
    return sorted(names.values())


def make_letter(campaign, signers):
    letter = Letter.objects.create(
        campaign=campaign,
        title=f"Benchmark letter, {signers} signers",
        date="2024-02-29",
        delivery_line="Delivered via e-mail",
        subject="RE: End solitary confinement in immigration detention",
        body="<p>The undersigned {{ signer_count }} organizations write today.</p>" + BODY,
        show_count_line=True,
    )
    for index in range(3):
        Recipient.objects.create(
            letter=letter,
            position=index,
            name=f"The Honorable Official {index}",
            salutation_name=f"Secretary Official{index}",
            title_lines="Secretary, Department of Examples",
            address_lines="1 Example Ave. NW\nWashington, DC 20500",
            email=f"official{index}@example.gov",
        )
    for index in range(4):
        Ask.objects.create(letter=letter, position=index, title=f"Ask {index + 1}", text="Do it now. " * 12)
    Contact.objects.create(
        letter=letter, name="Pat Doe", organization="Example Coalition", email="pat@example.org"
    )
    CarbonCopy.objects.create(letter=letter, name="Ms. Copied", title_lines="Officer for Examples")
    individuals = signers // 100
    names = org_names(signers - individuals, seed=signers)
    signatures = [
        Signature(
            letter=letter,
            name=name,
            normalized_name=normalize_name(name),
            status=Signature.Status.ACCEPTED,
            source=Signature.Source.IMPORT,
            is_lead=index < 2,
            lead_position=index,
            state=random.Random(index).choice(["CA", "NY", "TX", ""]),
        )
        for index, name in enumerate(names)
    ]
    signatures += [
        Signature(
            letter=letter,
            kind=Signature.Kind.INDIVIDUAL,
            name=f"Person Number {index}",
            normalized_name=f"person number {index}",
            title="Professor",
            affiliation="Example University",
            status=Signature.Status.ACCEPTED,
            source=Signature.Source.IMPORT,
        )
        for index in range(individuals)
    ]
    Signature.objects.bulk_create(signatures, batch_size=500)
    return letter


def end_to_end(letter):
    """Seconds from the request to a stored PDF, as the Render PDF button does it (eager task)."""
    Rendering.objects.filter(letter=letter).delete()  # so that it renders again, not reuses
    start = time.perf_counter()
    rendering, created = rendering_request(letter=letter, user=None)
    elapsed = time.perf_counter() - start
    rendering.refresh_from_db()
    assert created and rendering.status == Rendering.Status.DONE, rendering.error
    return elapsed, rendering


def bare(html):
    start = time.perf_counter()
    pdf = HTML(string=html).write_pdf(**PDF_OPTIONS)
    return time.perf_counter() - start, pdf


def bare_html(final):
    """The same final HTML with its one stylesheet inlined, so bare WeasyPrint needs no fetcher."""
    [(url, (_type, css))] = [(u, r) for u, r in pdf_resources().items() if u.startswith(STATIC_SCHEME)]
    link = f'<link rel="stylesheet" href="{url}">'
    assert link in final.html
    return final.html.replace(link, f"<style>{css.decode()}</style>")


def main(sizes):
    call_command("migrate", verbosity=0)
    rendering_module.render_isolated = record_results(rendering_module.render_isolated)
    campaign = Campaign.objects.create(name="Benchmark", slug="benchmark")
    letters = {size: make_letter(campaign, size) for size in sizes}
    print(f"WeasyPrint {weasyprint.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")

    # Memory first, before this process has rendered anything itself: a fresh worker's figures.
    for size, letter in letters.items():
        elapsed, rendering = end_to_end(letter)
        result = last_result["result"]
        tracemalloc.start()
        build_final_letter(letter)
        _current, build_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"{size:>6} signers, first render: {elapsed:.2f} s, {rendering.page_count} pages; "
            f"render child peak RSS {result.peak_rss_kb / 1024:.0f} MB "
            f"({result.added_rss_kb / 1024:.0f} MB above what it inherited); "
            f"building the HTML: {build_peak / 1024 / 1024:.1f} MB of Python objects at peak"
        )

    print(
        f"\n{'signers':>8} {'pages':>6} {'bare (s)':>9} {'end to end (s)':>15} {'ratio':>6}  target <= 1.15"
    )
    ok = True
    for size, letter in letters.items():
        html = bare_html(build_final_letter(letter))
        bare(html)  # warm up fonts and caches for both
        bare_times, e2e_times = [], []
        for _ in range(3):
            seconds, pdf = bare(html)
            bare_times.append(seconds)
            seconds, rendering = end_to_end(letter)
            e2e_times.append(seconds)
        ratio = min(e2e_times) / min(bare_times)
        ok &= ratio <= 1.15
        figures = f"{min(bare_times):>9.3f} {min(e2e_times):>15.3f} {ratio:>6.3f}"
        print(f"{size:>8} {rendering.page_count:>6} {figures}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\nLargest render child over the whole run (RUSAGE_CHILDREN): {children:.0f} MB peak RSS")
    print("All within target." if ok else "Over target.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main([int(arg) for arg in sys.argv[1:]] or [194, 5000]))
