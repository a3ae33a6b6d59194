"""CYC004 exception-kept-in-frame: corpus.

Flagged (at the read of the exception name in the statement that keeps it): an
``except ... as exc:`` handler inside a function or method that keeps the
exception where the catching frame can reach it again -- on ``self``
(``self.error = exc``, ``self.errors.append(exc)``, ``self.by_url[url] = exc``,
``self.report.failed.append(exc)``), on a parameter (``job.error = exc``), on
a local object (``outcome.error = exc``), in a local container
(``failures[path] = exc``, ``results.append((url, exc))``) or in another local
(``last_error = exc``).  ``exc.__traceback__`` references the frame, the frame
references its locals, and they reference the exception: the frame and every
local in it wait for the cyclic collector.

Deliberately NOT flagged here:
- handlers that drop the traceback before keeping the exception:
  ``exc.__traceback__ = None`` or ``exc.with_traceback(None)``;
- handlers that keep a description instead of the object: ``repr(exc)``,
  ``str(exc)``, ``type(exc)``, ``traceback.format_exception(exc)``;
- local aliases that are deleted (``del saved``) or reset (``saved = None``)
  later, the asyncio idiom;
- handlers that only log, count, re-raise a new exception ``from exc``, or
  bind no name at all;
- module-level code (the module's frame lives as long as the module anyway).

``ReportBuilder.collect`` calls ``traceback.clear_frames(exc.__traceback__)``
before keeping the exception.  That does NOT break this cycle: clear_frames()
skips the frame that is still executing -- the very frame that holds ``self`` --
so the finding is expected there.
"""

import asyncio
import logging
import traceback

log = logging.getLogger(__name__)

try:
    import ujson as fast_json
except ImportError as exc:
    fast_json = None
    _FAST_JSON_ERROR = exc


# --------------------------------------------------------------------------
# Background jobs


class Job:
    def __init__(self, fn):
        self.fn = fn
        self.result = None
        self.error = None
        self.attempts = 0

    def run(self):
        try:
            self.result = self.fn()
        except Exception as exc:
            self.error = exc  # expect: CYC004

    def run_and_reraise(self):
        try:
            self.result = self.fn()
        except Exception as exc:
            self.error = exc  # expect: CYC004
            raise

    def run_detached(self):
        """Keeps the exception, but without its traceback."""
        try:
            self.result = self.fn()
        except Exception as exc:
            exc.__traceback__ = None
            self.error = exc

    def run_stripped(self):
        try:
            self.result = self.fn()
        except Exception as exc:
            self.error = exc.with_traceback(None)

    def run_described(self):
        try:
            self.result = self.fn()
        except ValueError as exc:
            self.error = repr(exc)
        except Exception as exc:
            self.error = "".join(traceback.format_exception(exc))


def run_job(job):
    """A module-level runner keeps the exception on its argument."""
    try:
        job.result = job.fn()
    except Exception as exc:
        job.error = exc  # expect: CYC004
    return job


# --------------------------------------------------------------------------
# Batch import with error collection


class ImportReport:
    def __init__(self):
        self.failed = []
        self.messages = []


class BatchImporter:
    def __init__(self, parse):
        self.parse = parse
        self.errors = []
        self.errors_by_path = {}
        self.report = ImportReport()
        self.error_types = set()
        self.skipped = 0

    def import_one(self, path):
        try:
            return self.parse(path)
        except ValueError as exc:
            self.errors.append(exc)  # expect: CYC004
        except KeyError as exc:
            self.errors_by_path[path] = exc  # expect: CYC004
        except OSError as exc:
            self.report.failed.append(exc)  # expect: CYC004
        return None

    def import_quietly(self, path):
        try:
            return self.parse(path)
        except ValueError as exc:
            self.report.messages.append(str(exc))
            self.error_types.add(type(exc))
        except OSError:
            self.skipped += 1
        return None


def import_all(parse, paths):
    """Collects failures in local containers and returns them."""
    failures = {}
    for path in paths:
        try:
            parse(path)
        except ValueError as exc:
            failures[path] = exc  # expect: CYC004
    return failures


def fetch_all(fetch, urls):
    results = []
    for url in urls:
        try:
            results.append((url, fetch(url)))
        except OSError as exc:
            results.append((url, exc))  # expect: CYC004
    return results


class Outcome:
    def __init__(self, url):
        self.url = url
        self.body = None
        self.error = None


def fetch_outcome(fetch, url):
    outcome = Outcome(url)
    try:
        outcome.body = fetch(url)
    except OSError as exc:
        outcome.error = exc  # expect: CYC004
    return outcome


# --------------------------------------------------------------------------
# Retry helpers


def retry(fn, attempts=3):
    """The last error is kept in a local and re-raised after the loop."""
    last_error = None
    for _ in range(attempts):
        try:
            return fn()
        except ConnectionError as exc:
            last_error = exc  # expect: CYC004
    raise RuntimeError("gave up") from last_error


def retry_and_release(fn, attempts=3):
    """The asyncio idiom: the alias is reset before the function returns."""
    saved = None
    try:
        for _ in range(attempts):
            try:
                return fn()
            except ConnectionError as exc:
                saved = exc
        raise RuntimeError(f"gave up: {saved!r}")
    finally:
        saved = None


def first_error(fns):
    """The alias is deleted once it has been described."""
    for fn in fns:
        try:
            fn()
        except Exception as exc:
            err = exc
            message = f"{type(err).__name__}: {err}"
            del err
            return message
    return None


def probe(fn):
    """A local alias that is never released."""
    try:
        fn()
    except Exception as exc:
        err = exc  # expect: CYC004
        log.warning("probe failed: %s", err)
    return False


# --------------------------------------------------------------------------
# Configuration loading: log and wrap, never keep


class ConfigError(Exception):
    pass


def load_config(read, path):
    try:
        return read(path)
    except FileNotFoundError:
        log.info("no config at %s", path)
        return {}
    except ValueError as exc:
        log.warning("invalid config %s: %s", path, exc)
        raise ConfigError(f"cannot parse {path}") from exc


# --------------------------------------------------------------------------
# Async fetcher


class Fetcher:
    def __init__(self, session, timeout=5.0):
        self.session = session
        self.timeout = timeout
        self.last_error = None
        self.timeouts = 0

    async def fetch(self, url):
        try:
            return await asyncio.wait_for(self.session.get(url), self.timeout)
        except asyncio.TimeoutError as exc:
            self.last_error = exc  # expect: CYC004
            return None

    async def fetch_counted(self, url):
        try:
            return await asyncio.wait_for(self.session.get(url), self.timeout)
        except asyncio.TimeoutError:
            self.timeouts += 1
            return None


class ReportBuilder:
    """clear_frames() cannot clear the executing frame, which holds self."""

    def __init__(self, sections):
        self.sections = sections
        self.problems = []

    def collect(self):
        for section in self.sections:
            try:
                section()
            except Exception as exc:
                traceback.clear_frames(exc.__traceback__)
                self.problems.append(exc)  # expect: CYC004
