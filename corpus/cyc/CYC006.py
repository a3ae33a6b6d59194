"""CYC006 finalizer-in-cycle: corpus.

Flagged (at ``def __del__``): the finalizer of a class whose instances take part
in a reference cycle (the cycle itself is reported by CYC001, CYC002, CYC003 or
CYC005 on its own line).  In a cycle, ``__del__`` does not run when the object
goes out of use but when the cyclic collector gets to it -- never under
``gc.disable()`` -- and in no particular order (PEP 442), so files, sockets and
locks released there are released late.

Deliberately NOT flagged here:
- ``__del__`` in classes that are not part of any cycle (a temporary file
  wrapper, a child that keeps its parent through ``weakref.ref``);
- resources released with ``weakref.finalize`` instead of ``__del__``;
- ``__del__`` in a class whose cycle is taken apart in ``close()`` and that is
  used as a context manager.

``PooledCursor`` "breaks" its cycle in ``__del__``.  That cannot work: CPython
calls ``__del__`` only once the object is unreachable, which for an object in a
cycle means the cyclic collector has already found it.  Both the cycle and the
finalizer are real and annotated.
"""

import os
import tempfile
import weakref


# --------------------------------------------------------------------------
# Database session and cursors


class Session:
    def __init__(self, conn):
        self.conn = conn
        self.on_close = self.close  # expect: CYC002

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def __del__(self):  # expect: CYC006
        self.close()


class PooledCursor:
    """Tries to break its own cycle in __del__, which only runs after the collector."""

    def __init__(self, conn):
        self.conn = conn
        self.on_exhausted = self.release  # expect: CYC002

    def release(self):
        self.conn = None

    def __del__(self):  # expect: CYC006
        self.on_exhausted = None
        self.release()


class Transaction:
    """Cycle broken in close(), used with `with`: the finalizer runs on time."""

    def __init__(self, conn):
        self.conn = conn
        self.on_commit = self.commit

    def commit(self):
        return self.conn

    def close(self):
        self.on_commit = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __del__(self):
        self.conn = None


# --------------------------------------------------------------------------
# Parent/child with finalizers


class Document:
    def __init__(self, path):
        self.path = path
        self.pages = []

    def add_page(self):
        page = Page(self)
        self.pages.append(page)
        return page


class Page:
    def __init__(self, document):
        self.document = document  # expect: CYC001
        self.buffer = bytearray(4096)

    def __del__(self):  # expect: CYC006
        self.buffer = None


class Sheet:
    def __init__(self, workbook):
        self._workbook = weakref.ref(workbook)
        self.cells = {}

    def __del__(self):
        self.cells.clear()


class Workbook:
    def __init__(self):
        self.sheets = []

    def add_sheet(self):
        sheet = Sheet(self)
        self.sheets.append(sheet)
        return sheet


# --------------------------------------------------------------------------
# Closures and self-containers with finalizers


class Subprocess:
    def __init__(self, pid):
        self.pid = pid
        self.on_exit = lambda code: self.reap(code)  # expect: CYC003

    def reap(self, code):
        return self.pid, code

    def __del__(self):  # expect: CYC006
        self.pid = None


class Mailbox:
    def __init__(self, owner):
        self.owner = owner
        self.recipients = {owner: self}  # expect: CYC005

    def __del__(self):  # expect: CYC006
        self.owner = None


# --------------------------------------------------------------------------
# No cycle: finalizers run on time


class TempFile:
    def __init__(self, suffix=".tmp"):
        fd, self.path = tempfile.mkstemp(suffix=suffix)
        os.close(fd)

    def __del__(self):
        if os.path.exists(self.path):
            os.unlink(self.path)


class SpoolFile:
    """weakref.finalize with a bound method of *another* object: no cycle, no __del__."""

    def __init__(self):
        self._file = tempfile.TemporaryFile()
        self._finalizer = weakref.finalize(self, self._file.close)

    def close(self):
        self._finalizer()
