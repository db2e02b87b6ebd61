"""WeasyPrint in a forked child: nothing fetched but what it is handed, a time limit, a memory cap.

This module imports no Django: the child must not touch the parent's database connections.
It forks the process it runs in (a Celery worker, a management command) rather than spawning a
fresh interpreter, because the fork starts in milliseconds with WeasyPrint and its fonts already
loaded, where a spawned interpreter would spend longer importing than a short letter takes to render.
"""

import ctypes
import gc
import json
import logging
import os
import resource
import select
import signal
import struct
import threading
import time
from dataclasses import dataclass, field

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# pdf/ua-1: tagged for screen readers, with a title and a language (WeasyPrint's PDF/UA variant).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}
_HEADER = struct.Struct("!I")
_MAX_MESSAGES = 50


class RenderError(Exception):
    """The PDF could not be made; the message says why, for staff."""


class RenderTimeout(RenderError):
    """Stopped at the time limit."""


class RenderOutOfMemory(RenderError):
    """Stopped at the memory cap."""


class SafeURLFetcher(URLFetcher):
    """Serves exactly the resources it was given, from memory, and refuses every other URL.

    Nothing is opened: no file: read, no http(s) connection, hence no redirect to follow. Whatever
    user content manages to reference (an <img>, a <link rel="attachment">, a CSS url()) ends here.
    """

    def __init__(self, resources=None):
        # The parent's own fetching is switched off too, should anything reach it.
        super().__init__(timeout=1, allowed_protocols=(), allow_redirects=False)
        self.resources = dict(resources or {})  # {url: (content_type, bytes)}
        self.requested = []
        self.refused = []

    def fetch(self, url, headers=None):
        self.requested.append(url[:300])
        if url in self.resources:
            content_type, body = self.resources[url]
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
        self.refused.append(url[:300])
        raise ValueError(f"Not an allowed resource: {url[:300]}")


@dataclass
class RenderResult:
    pdf: bytes
    page_count: int
    requested: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    messages: list = field(default_factory=list)  # WeasyPrint's warnings and errors
    render_seconds: float = 0.0  # WeasyPrint's own time, in the child
    peak_rss_kb: int = 0  # the child's peak resident memory, shared pages included
    added_rss_kb: int = 0  # how much of it the render added to what the child started with


def render_pdf(html, *, resources=None, options=None):
    """Render in this process: (pdf bytes, page count, fetcher). No limits; see render_isolated."""
    fetcher = SafeURLFetcher(resources)
    options = {**PDF_OPTIONS, **(options or {})}
    document = HTML(string=html, url_fetcher=fetcher).render(**options)
    return document.write_pdf(**options), len(document.pages), fetcher


def warm_up(resources=None):
    """Load fonts and WeasyPrint's lazily built state in this process, once.

    Every forked child inherits it; without this each render would start cold, loading the fonts
    again, and take twice as long for a short letter.
    """
    global _warm
    if _warm:
        return
    links = "".join(
        f'<link rel="stylesheet" href="{url}">'
        for url, (content_type, _body) in (resources or {}).items()
        if content_type == "text/css"
    )
    render_pdf(
        f'<html lang="en"><head><title>.</title>{links}</head>'
        "<body><p>Warm <b>up</b> <i>once</i> <b><i>in</i></b> the worker.</p>"
        "<ol><li>1</li></ol></body></html>",
        resources=resources,
    )
    _warm = True


_warm = False


def render_isolated(html, *, resources=None, options=None, timeout=60, memory_mb=1024):
    """Render in a forked child under `timeout` seconds and `memory_mb` more address space.

    Raises RenderError (RenderTimeout for the time limit) when the child fails, is killed or
    runs out of memory; the calling process is never at risk.
    """
    warm_up(resources)
    _reap_exited()
    read_fd, write_fd = os.pipe()
    # Frozen objects are left out of the child's garbage collections: it then neither walks nor
    # copies (on write) the whole inherited heap of the worker, which made it slower than bare.
    gc.freeze()
    pid = os.fork()
    if pid != 0:
        gc.unfreeze()
    if pid == 0:  # pragma: no cover - runs in the child, which never returns from here
        code = 1
        try:
            os.close(read_fd)
            _child(html, resources, options, write_fd, timeout, memory_mb)
            code = 0
        finally:
            os._exit(code)  # no atexit handlers, no closing the parent's connections
    os.close(write_fd)
    try:
        data = _read_until_eof(read_fd, deadline=time.monotonic() + timeout, timeout=timeout)
        if len(data) >= _HEADER.size:
            # A whole answer: the child is only exiting. Not waiting for the kernel to tear down
            # its memory saves a few milliseconds; it is reaped at the next render.
            _exiting.add(pid)
            status = None
        else:
            status = _wait(pid, deadline=time.monotonic() + 5)
        pid = None
    finally:
        os.close(read_fd)
        if pid is not None:  # timed out, or interrupted (Celery's soft time limit): stop the child
            _kill(pid)
    return _parse(data, status)


def _child(html, resources, options, write_fd, timeout, memory_mb):  # pragma: no cover - in the child
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP, signal.SIGUSR1):
        signal.signal(signum, signal.SIG_DFL)  # the worker's handlers are not ours
    _die_with_parent()
    start_rss = _proc_status_kb("VmRSS")
    _set_limits(timeout, memory_mb)
    messages = _capture_weasyprint_messages()
    header = {"ok": False, "messages": messages, "pdf_size": 0}
    pdf = b""
    try:
        started = time.perf_counter()
        pdf, page_count, fetcher = _in_fresh_thread(render_pdf, html, resources=resources, options=options)
        header.update(
            ok=True,
            page_count=page_count,
            requested=fetcher.requested,
            refused=fetcher.refused,
            render_seconds=time.perf_counter() - started,
            pdf_size=len(pdf),
        )
    except MemoryError:
        pdf = b""
        header["error"] = "memory"
    except Exception as error:  # noqa: BLE001 - any failure is reported to the parent as text
        header["error"] = f"{type(error).__name__}: {error}"[:1000]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    header.update(peak_rss_kb=peak, added_rss_kb=max(0, peak - start_rss))
    encoded = json.dumps(header).encode()
    with os.fdopen(write_fd, "wb") as out:
        out.write(_HEADER.pack(len(encoded)) + encoded)
        out.write(pdf)


def _in_fresh_thread(function, *args, **kwargs):  # pragma: no cover - in the child
    """Run in a new thread, whose Python frame stack starts empty.

    CPython 3.11 keeps frames in 16 KB chunks and frees a chunk as soon as the stack drops below
    it: a deep recursion that happens to oscillate across a boundary allocates and frees memory
    thousands of times. Where the boundaries fall depended on how deep the caller was (Celery,
    Django's on_commit...), which made the same letter up to 20% slower; a fresh stack makes
    every render start alike.
    """
    outcome = {}

    def run():
        try:
            outcome["result"] = function(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - re-raised below, in the calling thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name="render")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _set_limits(timeout, memory_mb):  # pragma: no cover - in the child
    # Memory: what the child inherited plus the allowance. A huge letter then raises MemoryError
    # (or the child dies) instead of the kernel's OOM killer picking the worker. RLIMIT_DATA counts
    # writable memory, including malloc arenas reserved earlier and only now made writable, which
    # the address-space limit (kept as a backstop) lets through.
    allowance = memory_mb * 1024 * 1024
    for limit, current in ((resource.RLIMIT_DATA, "VmData"), (resource.RLIMIT_AS, "VmSize")):
        size = _proc_status_kb(current) * 1024
        if size:
            resource.setrlimit(limit, (size + allowance, size + allowance))
    # CPU seconds: a backstop should the parent be gone and no longer watching the clock.
    cpu = int(timeout) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _die_with_parent():  # pragma: no cover - in the child
    """Linux: SIGKILL this child if the worker dies (e.g. killed at Celery's hard time limit)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _capture_weasyprint_messages():  # pragma: no cover - in the child
    messages = []

    class Collect(logging.Handler):
        def emit(self, record):
            if len(messages) < _MAX_MESSAGES:
                messages.append(record.getMessage()[:300])

    weasyprint_logger = logging.getLogger("weasyprint")
    weasyprint_logger.handlers = [Collect(logging.WARNING)]
    weasyprint_logger.propagate = False  # the parent logs them, once, through its own handlers
    return messages


def _proc_status_kb(field):
    """A "VmXxx:  1234 kB" line of /proc/self/status (Linux); 0 elsewhere."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _read_until_eof(fd, *, deadline, timeout):
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise RenderTimeout(f"Rendering took longer than {timeout:g} seconds and was stopped.")
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


_exiting = set()  # children that have answered and are exiting, to reap


def _reap_exited():
    for pid in list(_exiting):
        try:
            done, _status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = True
        if done:
            _exiting.discard(pid)


def _wait(pid, *, deadline):
    """The child's wait status once it has exited; it closed its pipe, so that is imminent."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.monotonic() > deadline:
            raise RenderError("The rendering process did not exit.")
        time.sleep(0.0005)


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _parse(data, status):
    if len(data) < _HEADER.size:
        if os.WIFSIGNALED(status):
            name = signal.Signals(os.WTERMSIG(status)).name
            raise RenderError(
                f"The rendering process was stopped by {name}; the letter may be too large for the "
                "memory or time allowed."
            )
        raise RenderError(f"The rendering process exited with status {os.waitstatus_to_exitcode(status)}.")
    (length,) = _HEADER.unpack_from(data)
    if len(data) < _HEADER.size + length:
        raise RenderError("The rendering process stopped before it had answered.")
    header = json.loads(data[_HEADER.size : _HEADER.size + length])
    for message in header.get("messages", []):
        logger.warning("WeasyPrint: %s", message)
    if header.get("error") == "memory":
        raise RenderOutOfMemory("The letter needs more memory than a render is allowed.")
    if not header["ok"]:
        raise RenderError(f"WeasyPrint failed: {header['error']}")
    pdf = data[_HEADER.size + length :]
    if len(pdf) != header["pdf_size"]:
        raise RenderError("The rendering process stopped before it had passed on the whole PDF.")
    for url in header["refused"]:
        logger.warning("PDF renderer refused to fetch %s", url)
    return RenderResult(
        pdf=pdf,
        page_count=header["page_count"],
        requested=header["requested"],
        refused=header["refused"],
        messages=header["messages"],
        render_seconds=header["render_seconds"],
        peak_rss_kb=header["peak_rss_kb"],
        added_rss_kb=header["added_rss_kb"],
    )
