"""Runtime half of ``memlint verify``: watch the user's own program and record evidence.

memlint's static rules say "this code keeps memory alive" or "this code builds a list it did not
need". ``memlint verify`` runs the user's command with this module loaded into every Python
process it starts (memlint writes a ``sitecustomize.py`` that imports it into a temporary
directory put first on ``PYTHONPATH``; no user file is touched). The module reads the static
findings from the JSON file named by ``MEMLINT_VERIFY_PLAN`` and, when the process exits,
writes what it saw to ``$MEMLINT_VERIFY_OUT/observations-<pid>.json``. memlint turns that into
verdicts (confirmed / refuted / not-exercised); this module only collects facts.

What it measures, per rule family, and why it measures it that way:

* CYC (reference cycles), WRF (registries), MEM001 (lru_cache on a method): instances of the
  classes a finding names (by class name *and* defining file) are found cheaply by looking at
  the youngest GC generation whenever a collection starts: an object that survives until the
  next collection is always there once; one that dies earlier was freed by reference counting
  and cannot be cyclic garbage. Each such instance gets a weak reference whose callback tells
  whether it died inside a collection (only the cyclic collector could free it) or outside one.
  A concrete cycle is found by a bounded breadth-first search over referents back to the
  object, reported with types and attribute names. When instances die in collections before a
  path was seen, the next few collections keep their garbage (``gc.DEBUG_SAVEALL``) just long
  enough to search it. At exit, a last collection and a scan of live objects count instances
  still in cycles and, for WRF/MEM001, the ones nothing but the registry or cache keeps alive.
  CYC004 (exception kept in its own frame): exceptions cannot be weakly referenced, so the
  object the exception is stored in is watched instead.
* SLT (``__slots__``): live instances are counted at full collections and at exit; the cost of
  one instance with a ``__dict__`` and with ``__slots__`` is measured with tracemalloc on
  throw-away classes with the same attribute names.
* GEN and MEM004-MEM007 (materialised lists and other per-statement costs): tracemalloc runs
  only while a finding's statement executes (started when its line starts, stopped when the
  frame moves to another line), so the peak is what the statement and its callees allocated,
  at no cost to the rest of the program. MEM002/MEM003/MEM008 (caches, module-level lists):
  what the container holds at exit.
* Whether a finding's line ran comes from a line tracer that only traces code objects holding
  a finding's line and switches itself off once no finding needs it (on 3.11 any settrace
  function slows call-heavy code about twofold; ``sys.monitoring`` only exists from 3.12).

Constraints: standard library only (it runs in whatever interpreter the user's command uses),
Python 3.9 or newer (tested on 3.9 to 3.13), and never change the program's behaviour or exit
status: the user's objects are only read (on 3.11 reading an instance's ``__dict__`` creates it,
which happens for a handful of instances per class), every hook swallows its own errors
(reporting them in the output), the program's own tracemalloc use is respected, and signal handlers are left
alone unless SIGTERM still has its default action (then a handler turns it into ``SystemExit``
so that a timeout still produces observations).
"""

import atexit
import gc
import json
import os
import re
import signal
import sys
import threading
import time
import tracemalloc
import weakref

PLAN_ENV = "MEMLINT_VERIFY_PLAN"
OUT_ENV = "MEMLINT_VERIFY_OUT"

# Bounds that keep the helper's own cost and memory small whatever the program does.
TRACK_CAP = 10_000  # instances watched with a weak reference, per class
# The line tracer is the expensive part (any sys.settrace function costs about 2x on call-heavy
# code under 3.11), so every finding retires from it as soon as its question is answered.
MEASURE_CAP = 200  # measured executions per GEN/MEM finding
EXCEPTION_CAP = 100  # objects holding a caught exception tracked per CYC004 finding
PENDING_CAP = 8  # instances waiting for a cycle search, per class
BFS_NODES = 4_000
BFS_DEPTH = 10
SAVEALL_ATTEMPTS = 5
LIVE_CHECK_CAP = 200  # live instances searched for a cycle at exit, per class
REGISTRY_CHECK_CAP = 1_000
LINE_EVENT_BUDGET = 20_000_000  # then line tracing stops for good (reported)

_COMPREHENSIONS = ("<listcomp>", "<setcomp>", "<dictcomp>", "<genexpr>")
_BACKTICK = re.compile(r"`([^`]+)`")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


_START_DIR = os.getcwd()  # relative code file names are relative to where Python started
_NORMALISED = {}


def _norm(path):
    """Absolute real path of a code object's file name, as memlint wrote them in the plan."""
    result = _NORMALISED.get(path)
    if result is None:
        result = os.path.realpath(os.path.join(_START_DIR, path)) if path else ""
        _NORMALISED[path] = result
    return result


class TypeStats:
    """What was seen of one runtime class that a finding names."""

    __slots__ = ("name", "where", "needs_weak", "seen", "live", "tracked", "freed_by_gc",
                 "freed_by_refcount", "pending", "path", "path_bytes", "peak_live",
                 "attrs", "weakrefable", "cycle_findings", "path_wanted")

    def __init__(self, name, where, needs_weak):
        self.name = name
        self.where = where
        self.needs_weak = needs_weak
        self.seen = 0
        self.live = 0
        self.tracked = 0
        self.freed_by_gc = 0
        self.freed_by_refcount = 0
        self.pending = []
        self.path = None
        self.path_bytes = 0
        self.peak_live = 0
        self.attrs = None
        self.weakrefable = True
        self.cycle_findings = []  # CYC findings about this class: they want a runtime path
        self.path_wanted = False  # kept up to date by set_path: checked per object

    def set_path(self, found):
        """Records a runtime cycle; classes whose findings all have one stop searching."""
        self.path, self.path_bytes = found
        for f in self.cycle_findings:
            f.has_path = True
            for other in f.all_stats():
                other.path_wanted = any(not g.has_path for g in other.cycle_findings)


class Finding:
    """One static finding from the plan, with what its rule family needs at runtime."""

    def __init__(self, raw):
        self.id = raw["id"]
        self.code = raw["code"]
        self.family = re.match(r"[A-Z]*", self.code).group(0)
        self.path = raw["path"]
        self.line = raw["line"]
        self.end_line = max(raw.get("end_line", self.line), self.line)
        self.message = raw.get("message", "")
        self.related = raw.get("related", [])
        self.files = {self.path} | {r["path"] for r in self.related}
        self.ordered_names = []  # in the order the messages mention them
        for text in [self.message] + [r.get("message", "") for r in self.related]:
            for span in _BACKTICK.findall(text):
                for name in _IDENT.findall(span):
                    if name not in self.ordered_names:
                        self.ordered_names.append(name)
        self.names = set(self.ordered_names)
        self.registry_class = self.registry_attr = self.registry_global = None
        self.cache_owner = None  # MEM001: (class, method) whose lru_cache keeps `self`
        self.container = None  # MEM002/003/008: ("global", name) or ("class", class, attr)
        self.subscribers = set(self.names)
        if self.code == "MEM001":
            match = re.search(r"on the method `(\w+)\.(\w+)`", self.message)
            if match:
                self.cache_owner = match.groups()
                self.subscribers = {match.group(1)}
        elif self.code in ("MEM002", "MEM003", "MEM008"):
            match = (re.search(r"on `(\w+)` grows", self.message)
                     or re.search(r"`(\w+)` is a module-level", self.message))
            owned = re.search(r"`(\w+)\.(\w+)` is a class-level", self.message)
            if owned:
                self.container = ("class",) + owned.groups()
            elif match:
                self.container = ("global", match.group(1))
        if self.family == "WRF":
            owner = re.search(r"in `(\w+)\.(\w+)`", self.message)
            glob = re.search(r"adds itself to `([\w.]+)`", self.message)
            if owner:
                self.registry_class, self.registry_attr = owner.groups()
            elif glob:
                parts = glob.group(1).split(".")
                if len(parts) == 2:
                    self.registry_class, self.registry_attr = parts
                else:
                    self.registry_global = parts[0]
            subs = re.findall(r"every `(\w+)`", self.message)
            if subs:
                self.subscribers = set(subs)
        # CYC004: exceptions cannot be weakly referenced, so the object the exception is
        # stored in (`self` in `self.failure = e`) is tracked instead, and live exceptions are
        # matched at exit by the code their traceback runs through.
        self.exception_name = self.holder_name = None
        self.codes = set()
        self.holders = {}  # id -> weak reference, so a holder is tracked once
        if self.code == "CYC004":
            match = re.search(r"caught exception `(\w+)`", self.message)
            self.exception_name = match.group(1) if match else None
            match = re.search(r"kept in `([A-Za-z_]\w*)", self.message)
            self.holder_name = match.group(1) if match else None
        self.types = []  # TypeStats of matched runtime classes
        self.has_path = False
        self.executed = 0
        self.measured = 0
        self.peak_bytes = 0
        self.largest_list = 0
        self.done = False
        self.exc_stats = None
        if self.exception_name:
            self.exc_stats = TypeStats("object holding the exception", "", True)
            self.exc_stats.cycle_findings.append(self)
            self.exc_stats.path_wanted = True

    def all_stats(self):
        return self.types + [self.exc_stats] if self.exc_stats is not None else self.types

    @property
    def kind(self):
        if self.family in ("CYC", "WRF") or self.code == "MEM001":
            return "instances"
        if self.family == "SLT":
            return "slots"
        if self.container is not None:
            return "retention"
        if self.family in ("GEN", "MEM"):
            return "measure"
        return "line"

    @property
    def holds_instances(self):
        """WRF and MEM001: the facts are about instances something else keeps alive."""
        return self.family == "WRF" or self.code == "MEM001"

    def wants_type(self, name):
        if self.holds_instances:
            return name in self.subscribers or name == self.registry_class
        return name in self.names

    def line_satisfied(self):
        if self.kind == "measure":
            return self.measured >= MEASURE_CAP
        if self.exc_stats is not None:
            return self.exc_stats.tracked >= EXCEPTION_CAP
        return self.executed > 0 or self.instances_seen()

    def instances_seen(self):
        """Instance and slots findings are exercised once an instance lived to a collection:
        from then on their line needs no tracing (see Helper.retire_seen)."""
        return self.kind in ("instances", "slots") and self.exc_stats is None and any(
            s.seen for s in self.types)


class Helper:
    """All runtime state. One instance per process, created by :func:`install`."""

    def __init__(self, plan, out_dir):
        self.out_dir = out_dir
        self.findings = [Finding(raw) for raw in plan.get("findings", [])]
        self.errors = []
        self.helper_seconds = 0.0
        self.started = time.perf_counter()
        self.collecting = False
        self.type_info = {}  # id(type) -> (weakref to type, [TypeStats or None])
        self.known_type_ids = set()
        self.interesting_ids = set()
        self.refs = {}  # id(weakref) -> (weakref, TypeStats)
        self.saveall_wanted = False
        self.saveall_attempts = 0
        self.saveall_mark = None
        self.user_tracemalloc = tracemalloc.is_tracing()
        self.active = []  # measurements in progress, innermost last: [finding, base, peak]
        self.code_specs = {}  # code object -> tuple of findings, or False
        self.tracer_replaced = False
        self.line_events = 0
        self.tracing_stopped = False
        self.line_tracing = True  # off with `memlint verify --no-line-tracing`
        self.exit_reason = "normal"
        self.finished = False
        self.exiting = False  # the final collections must not be sampled
        self.garbage_counts = {}  # id(TypeStats) -> instances in the garbage at exit
        self.all_done = False  # no finding needs line events any more
        self.names = set()  # class names any finding may be about
        self.by_file = {}
        for f in self.findings:
            if f.kind in ("instances", "slots"):
                self.names.update(f.subscribers if f.holds_instances else f.names)
                if f.registry_class:
                    self.names.add(f.registry_class)
            self.by_file.setdefault(f.path, []).append(f)

    # -- errors -------------------------------------------------------------------------

    def error(self, where):
        """Remembers a failure inside the helper; the program itself must never see it."""
        exc = sys.exc_info()[1]
        text = "%s: %s: %s" % (where, type(exc).__name__, exc)
        if len(self.errors) < 20 and text not in self.errors:
            self.errors.append(text)

    # -- classes ------------------------------------------------------------------------

    def classify_types(self, type_ids, objs):
        """Decides once per runtime class whether a finding names it (name and source file)."""
        by_id = {}
        for o in objs:
            t = type(o)
            if id(t) in type_ids and id(t) not in by_id:
                by_id[id(t)] = t
        for tid, t in by_id.items():
            self.known_type_ids.add(tid)
            try:
                keeper = weakref.ref(t, lambda _r, tid=tid: self.forget_type(tid))
            except TypeError:
                continue
            stats = None
            name = getattr(t, "__name__", "")
            if name in self.names:
                where = _type_source(t)
                if where:
                    matched = [f for f in self.findings
                               if f.kind in ("instances", "slots") and where[0] in f.files
                               and f.wants_type(name)]
                    if matched:
                        stats = TypeStats(name, "%s:%d" % where,
                                          any(f.kind == "instances" for f in matched))
                        for f in matched:
                            f.types.append(stats)
                            if f.family == "CYC":
                                stats.cycle_findings.append(f)
                                stats.path_wanted |= not f.has_path
                        self.interesting_ids.add(tid)
            self.type_info[tid] = (keeper, stats)

    def forget_type(self, tid):
        """A class was freed: its id may be reused by a new class, which must be classified."""
        self.known_type_ids.discard(tid)
        self.interesting_ids.discard(tid)
        self.type_info.pop(tid, None)

    def stats_for(self, obj):
        """The TypeStats of an object's class, or None when no finding names it."""
        entry = self.type_info.get(id(type(obj)))
        return entry[1] if entry is not None else None

    # -- instances ----------------------------------------------------------------------

    def track(self, obj, stats):
        """Counts an instance; watches it with a weak reference (up to TRACK_CAP per class)
        so its death tells whether reference counting or the cyclic collector freed it."""
        stats.seen += 1
        if stats.attrs is None:
            try:
                stats.attrs = list(object.__getattribute__(obj, "__dict__"))
            except Exception:
                stats.attrs = []
        if not stats.needs_weak or stats.tracked >= TRACK_CAP or not stats.weakrefable:
            return
        try:
            ref = weakref.ref(obj, self.on_dead)
        except TypeError:
            stats.weakrefable = False
            return
        self.refs[id(ref)] = (ref, stats)
        stats.tracked += 1
        stats.live += 1
        if stats.live > stats.peak_live:
            stats.peak_live = stats.live
        if stats.path_wanted and len(stats.pending) < PENDING_CAP:
            stats.pending.append([ref, 0])

    def on_dead(self, ref):
        """Weak-reference callback: inside a collection means only the cyclic GC could free it."""
        entry = self.refs.pop(id(ref), None)
        if entry is None:
            return
        stats = entry[1]
        stats.live -= 1
        if self.collecting:
            stats.freed_by_gc += 1
            if (stats.path_wanted and not self.exiting
                    and self.saveall_attempts < SAVEALL_ATTEMPTS):
                self.saveall_wanted = True
        else:
            stats.freed_by_refcount += 1

    def scan_young(self):
        """Looks at the youngest generation as a collection starts: every object that lived
        this long is there once, so this sees each instance that could become cyclic garbage,
        at a cost proportional to the allocations since the last collection."""
        objs = gc.get_objects(0)
        type_ids = set(map(id, map(type, objs)))
        new = type_ids - self.known_type_ids
        if new:
            self.classify_types(new, objs)
        hits = type_ids & self.interesting_ids
        if hits:
            info = self.type_info
            # Per-object work (a weak reference, the attribute names) only for classes that
            # still need it; beyond TRACK_CAP instances are just counted, at C speed.
            busy = {tid for tid in hits if info[tid][1].attrs is None or (
                info[tid][1].needs_weak and info[tid][1].weakrefable
                and info[tid][1].tracked < TRACK_CAP)}
            if busy:
                for o in objs:
                    tid = id(type(o))
                    if tid in busy:
                        self.track(o, info[tid][1])
            if busy != hits:
                from collections import Counter
                counts = Counter(map(id, map(type, objs)))
                for tid in hits - busy:
                    info[tid][1].seen += counts[tid]
        del objs

    def search_pending(self, budget=4):
        """Looks for a cycle through instances seen at an earlier collection (now complete)."""
        for f in self.findings:
            for stats in f.all_stats():
                if not stats.pending:
                    continue
                if not stats.path_wanted:
                    stats.pending = []
                    continue
                keep = []
                for entry in stats.pending:
                    obj = entry[0]()
                    if obj is None:
                        continue
                    entry[1] += 1
                    if entry[1] < 2 or budget <= 0:
                        keep.append(entry)
                        continue
                    budget -= 1
                    found = find_cycle(obj)
                    if found:
                        stats.set_path(found)
                        keep = []
                        break
                    if entry[1] < 4:
                        keep.append(entry)
                stats.pending = keep

    def on_gc(self, phase, info):
        """gc.callbacks hook: classify and track young objects, sample garbage and live counts."""
        began = time.perf_counter()
        if self.active and phase == "start":
            # A GEN/MEM measurement is open: credit it with its peak so far, then (below)
            # forget what this hook and the collection itself allocate.
            self.fold_peaks()
        try:
            if phase == "start":
                self.collecting = True
                self.scan_young()
                self.search_pending()
                if (self.saveall_wanted and not self.exiting
                        and not gc.get_debug() & gc.DEBUG_SAVEALL):
                    self.saveall_wanted = False
                    self.saveall_attempts += 1
                    self.saveall_mark = len(gc.garbage)
                    gc.set_debug(gc.get_debug() | gc.DEBUG_SAVEALL)
            else:
                self.collecting = False
                if self.saveall_mark is not None:
                    mark, self.saveall_mark = self.saveall_mark, None
                    gc.set_debug(gc.get_debug() & ~gc.DEBUG_SAVEALL)
                    try:
                        self.search_garbage(gc.garbage[mark:])
                    finally:
                        del gc.garbage[mark:]
                if info.get("generation") == 2:
                    self.sample_live()
                self.retire_seen()
        except Exception:
            self.error("gc callback")
        if self.active:
            tracemalloc.reset_peak()
        self.helper_seconds += time.perf_counter() - began

    def retire_seen(self):
        """Instance findings with an instance seen need no line events any more."""
        for f in self.findings:
            if not f.done and f.instances_seen():
                self.retire(f)

    def search_garbage(self, garbage):
        """Finds cycle paths among objects the collector just found unreachable."""
        exception_findings = [f for f in self.findings
                              if f.exc_stats is not None and f.exc_stats.path_wanted and f.codes]
        for obj in garbage:
            stats = self.stats_for(obj)
            if stats is not None and stats.path_wanted:
                found = find_cycle(obj)
                if found:
                    stats.set_path(found)
            elif exception_findings and isinstance(obj, BaseException):
                for f in exception_findings:
                    if f.exc_stats.path_wanted and _raised_in(obj, f.codes):
                        found = find_cycle(obj)
                        if found:
                            f.exc_stats.set_path(found)

    def sample_live(self, objs=None):
        """SLT: how many instances are alive now (a full scan, so only at full collections
        and at exit); the peak of these samples is reported."""
        slot_stats = [s for f in self.findings if f.kind == "slots" for s in f.types]
        if not slot_stats:
            return
        if objs is None:
            objs = gc.get_objects()
        from collections import Counter
        counts = Counter(map(id, map(type, objs)))
        for tid in self.interesting_ids:
            stats = self.type_info[tid][1]
            if stats in slot_stats:
                stats.peak_live = max(stats.peak_live, counts.get(tid, 0))

    # -- lines --------------------------------------------------------------------------

    def spec_for(self, code):
        """The findings whose statement is in this code object (False when none)."""
        spec = self.code_specs.get(code)
        if spec is not None:
            return spec
        spec = False
        candidates = self.by_file.get(_norm(code.co_filename))
        if candidates:
            lines = _code_lines(code)
            hit = tuple(f for f in candidates if not f.done
                        and any(f.line <= ln <= f.end_line for ln in lines))
            if hit:
                spec = hit
        self.code_specs[code] = spec
        return spec

    def global_trace(self, frame, event, arg):
        """sys.settrace hook: local tracing only for code objects holding a finding's line."""
        if self.all_done:
            sys.settrace(None)
            return None
        spec = self.code_specs.get(frame.f_code)
        if spec is None:
            spec = self.spec_for(frame.f_code)
        if spec is False:
            return None
        code = frame.f_code
        if code.co_name in _COMPREHENSIONS:
            inner = [f for f in spec if f.line <= code.co_firstlineno <= f.end_line]
            if inner:
                # Part of the finding's statement: measured from the outer frame. Only the
                # built list's size is read, at return; per-item line events would be costly.
                frame.f_trace_lines = False
                return self.comprehension_tracer(inner)
        return LineTracer(self, spec).trace

    def comprehension_tracer(self, findings):
        """Trace function for a 3.11 list comprehension inside a finding's statement."""
        def trace(frame, event, arg):
            if event == "return" and isinstance(arg, list):
                for f in findings:
                    f.largest_list = max(f.largest_list, len(arg))
            return trace
        return trace

    def fold_peaks(self):
        """Credit the peak so far to every open measurement, before the peak is reset."""
        peak = tracemalloc.get_traced_memory()[1]
        for m in self.active:
            m[2] = max(m[2], peak)

    def start_measure(self, finding):
        """Opens a measurement window for a GEN/MEM statement. tracemalloc runs only inside
        windows (unless the program uses it itself), which keeps its cost off the rest."""
        if not self.active and tracemalloc.is_tracing():
            self.user_tracemalloc = True  # the program started tracemalloc itself: share it
        if self.user_tracemalloc or self.active:
            self.fold_peaks()
            tracemalloc.reset_peak()
        else:
            tracemalloc.start(1)
        base = tracemalloc.get_traced_memory()[0]
        self.active.append([finding, base, base])

    def end_measure(self, entry):
        """Closes a window: its peak above its starting point is the statement's cost."""
        self.fold_peaks()
        self.active.remove(entry)
        finding, base, top = entry
        finding.peak_bytes = max(finding.peak_bytes, top - base)
        finding.measured += 1
        if not self.active and not self.user_tracemalloc:
            tracemalloc.stop()
        if not self.active:
            self.maybe_stop_tracing()

    def retire(self, finding):
        """A finding needs no more line events; drop code objects nothing else needs."""
        finding.done = True
        for code, spec in list(self.code_specs.items()):
            if spec and finding in spec:
                rest = tuple(f for f in spec if not f.done)
                self.code_specs[code] = rest or False
        self.maybe_stop_tracing()

    def maybe_stop_tracing(self):
        """Turn the tracer off once nothing needs it. Never while a measurement is open: its
        closing line event would never come and tracemalloc would stay on for the whole run."""
        if not self.active and all(f.done for f in self.findings):
            self.all_done = True
            sys.settrace(None)  # this thread; other threads stop at their next call event
            threading.settrace(None)

    def stop_tracing(self):
        """The line-event budget is spent: keep the program fast, report lines as unknown."""
        self.tracing_stopped = True
        for f in self.findings:
            f.done = True
        for code in self.code_specs:
            self.code_specs[code] = False
        for entry in list(self.active):
            self.end_measure(entry)  # the last one switches tracing off
        self.maybe_stop_tracing()

    def on_line(self, finding, frame):
        """A finding's line starts. For CYC004, remember the frame's code and the object the
        exception will be stored in: that object is what can be watched."""
        finding.executed += 1
        if finding.exc_stats is not None:
            finding.codes.add(frame.f_code)
            holder = frame.f_locals.get(finding.holder_name) if finding.holder_name else None
            if holder is not None and gc.is_tracked(holder):
                known = finding.holders.get(id(holder))
                if known is None or known() is not holder:
                    stats = finding.exc_stats
                    if stats.seen == 0:
                        stats.name = type(holder).__name__
                    self.track(holder, stats)
                    try:
                        finding.holders[id(holder)] = weakref.ref(holder)
                    except TypeError:
                        pass
        if finding.line_satisfied():
            self.retire(finding)

    # -- exit ---------------------------------------------------------------------------

    def finish(self):
        """atexit hook (also reached on SystemExit and unhandled exceptions)."""
        if self.finished:
            return
        self.finished = True
        self.exiting = True
        self.saveall_wanted = False
        began = time.perf_counter()
        if sys.gettrace() is not None and getattr(sys.gettrace(), "__self__", None) is not self:
            self.tracer_replaced = True
        sys.settrace(None)
        threading.settrace(None)
        for entry in list(self.active):
            try:
                self.end_measure(entry)
            except Exception:
                self.error("measurement at exit")
        results = {}
        try:
            self.final_collection()
        except Exception:
            self.error("final collection")
        try:
            live = self.live_analysis()
        except Exception:
            self.error("live objects at exit")
            live = {}
        for f in self.findings:
            try:
                results[str(f.id)] = self.result_for(f, live)
            except Exception:
                self.error("finding %s" % f.id)
        self.helper_seconds += time.perf_counter() - began
        self.write(results)

    def final_collection(self):
        """One last collection with the garbage kept, so cycles pending at exit are seen too."""
        saveall = not gc.get_debug() & gc.DEBUG_SAVEALL
        self.garbage_counts = {}
        if not saveall:  # the program keeps its own garbage: leave gc.garbage alone
            gc.collect()
            return
        mark = len(gc.garbage)
        gc.set_debug(gc.get_debug() | gc.DEBUG_SAVEALL)
        try:
            gc.collect()
        finally:
            gc.set_debug(gc.get_debug() & ~gc.DEBUG_SAVEALL)
        try:
            self.inspect_exit_garbage(gc.garbage[mark:])
        finally:
            del gc.garbage[mark:]
        # No local may still refer to the garbage here, or this collection would miss it.
        gc.collect()

    def inspect_exit_garbage(self, garbage):
        """Counts the watched classes in the garbage found at exit and looks for cycles."""
        for obj in garbage:
            stats = self.stats_for(obj)
            if stats is not None:
                self.garbage_counts[id(stats)] = self.garbage_counts.get(id(stats), 0) + 1
        self.search_garbage(garbage)

    def live_analysis(self):
        """Counts, cycle checks and registry checks over the objects alive at exit."""
        objs = gc.get_objects()
        # Young objects created since the last collection were never classified.
        type_ids = set(map(id, map(type, objs)))
        new = type_ids - self.known_type_ids
        if new:
            self.classify_types(new, objs)
        self.sample_live(objs)
        live = {}
        interesting = self.interesting_ids
        if interesting:
            for o in objs:
                tid = id(type(o))
                if tid in interesting:
                    live.setdefault(id(self.type_info[tid][1]), []).append(o)
        del objs
        result = {"alive": {}, "in_cycle": {}, "held": {}, "retained": {}}
        for f in self.findings:
            if f.kind != "instances":
                continue
            for stats in f.types:
                instances = live.get(id(stats), [])
                result["alive"][id(stats)] = len(instances)
                if f.family == "CYC" and id(stats) not in result["in_cycle"]:
                    in_cycle = 0
                    for obj in instances[:LIVE_CHECK_CAP]:
                        found = find_cycle(obj)
                        if found:
                            in_cycle += 1
                            if stats.path is None:
                                stats.set_path(found)
                    result["in_cycle"][id(stats)] = in_cycle
            if f.holds_instances:
                result["held"][f.id] = registry_holders(f, live)
        for f in self.findings:
            if f.kind == "retention":
                result["retained"][f.id] = container_facts(f)
        return result

    def result_for(self, f, live):
        """The facts memlint judges one finding by (see integrations/runtime/Report.cpp)."""
        out = {"code": f.code, "executed": f.executed, "line_tracing": self.line_tracing}
        if f.kind == "instances":
            stats_list = list(f.types)
            if f.exc_stats is not None:
                stats_list.append(f.exc_stats)
            # For a registry finding the facts are about the subscribers, not the registry.
            subs = [s for s in stats_list if not f.holds_instances or s.name in f.subscribers]
            out["classes"] = _describe_all(subs)
            out["seen"] = sum(s.seen for s in subs)
            out["watched"] = sum(s.tracked for s in subs)
            out["freed_by_gc"] = sum(s.freed_by_gc for s in subs)
            out["freed_by_refcount"] = sum(s.freed_by_refcount for s in subs)
            out["garbage_at_exit"] = sum(self.garbage_counts.get(id(s), 0) for s in subs)
            out["alive_at_exit"] = sum(live.get("alive", {}).get(id(s), 0) for s in subs)
            if f.family == "CYC":
                out["alive_in_cycle"] = sum(live.get("in_cycle", {}).get(id(s), 0) for s in subs)
                if f.exc_stats is not None:
                    out["alive_in_cycle"] += self.exception_cycles(f)
                for s in stats_list:
                    if s.path:
                        out["cycle_path"] = path_text(s.path, f)
                        out["cycle_bytes"] = _resolve_sizes(s.path_bytes)
                        break
            else:
                out.update(live.get("held", {}).get(f.id) or {})
        elif f.kind == "slots":
            out["classes"] = _describe_all(f.types)
            out["seen"] = sum(s.seen for s in f.types)
            out["peak_live"] = max([s.peak_live for s in f.types] or [0])
            for s in f.types:
                if s.attrs:
                    with_dict, with_slots = instance_costs(s.attrs)
                    out["bytes_with_dict"] = with_dict
                    out["bytes_with_slots"] = with_slots
                    out["attributes"] = len(s.attrs)
                    break
        elif f.kind == "retention":
            out.update(live.get("retained", {}).get(f.id) or {})
        elif f.kind == "measure":
            out["measured"] = f.measured
            out["peak_bytes"] = f.peak_bytes
            if f.largest_list:
                out["largest_list"] = f.largest_list
        return out

    def exception_cycles(self, f):
        """Live exceptions whose traceback runs through the flagged code and that are in a cycle."""
        if not f.codes:
            return 0
        count = 0
        for obj in gc.get_objects():
            if not isinstance(obj, BaseException) or count >= LIVE_CHECK_CAP:
                continue
            if _raised_in(obj, f.codes):
                found = find_cycle(obj)
                if found:
                    count += 1
                    if f.exc_stats.path is None:
                        f.exc_stats.set_path(found)
        return count

    def write(self, results):
        """One file per process (subprocesses write their own), replaced atomically."""
        doc = {
            "version": 1,
            "pid": os.getpid(),
            "python": sys.version.split()[0],
            "argv": list(sys.argv),
            "exit": self.exit_reason,
            "tracer_replaced": self.tracer_replaced or self.tracing_stopped,
            "line_events": self.line_events,
            "helper_seconds": round(self.helper_seconds, 6),
            "wall_seconds": round(time.perf_counter() - self.started, 6),
            "errors": self.errors,
            "findings": results,
        }
        path = os.path.join(self.out_dir, "observations-%d.json" % os.getpid())
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(doc, fh)
        os.replace(tmp, path)


class LineTracer:
    """Local trace function for one frame of a code object that holds a finding's statement."""

    __slots__ = ("helper", "spec", "current", "measure")

    def __init__(self, helper, spec):
        self.helper = helper
        self.spec = spec
        self.current = None  # finding whose statement this frame is executing
        self.measure = None

    def trace(self, frame, event, arg):
        """Opens a window when a finding's line starts, closes it when the frame moves on."""
        try:
            helper = self.helper
            helper.line_events += 1
            if helper.line_events > LINE_EVENT_BUDGET and not helper.tracing_stopped:
                helper.stop_tracing()
            if event == "line":
                line = frame.f_lineno
                cur = self.current
                if cur is not None and cur.line <= line <= cur.end_line:
                    # Still inside the statement: a multi-line one, or (3.12+, where
                    # comprehensions are inlined) a comprehension jumping back to its line.
                    return self.trace
                self.stop()
                if helper.tracing_stopped:
                    return None
                for f in self.spec:
                    if line == f.line and not f.done:
                        self.current = f
                        if f.kind == "measure":
                            helper.start_measure(f)
                            self.measure = helper.active[-1]
                        helper.on_line(f, frame)
                        break
                if all(f.done for f in self.spec) and self.measure is None:
                    return None
            elif event == "return":
                self.stop()
        except Exception:
            self.helper.error("line tracer")
            return None
        return self.trace

    def stop(self):
        """The statement this frame was executing has ended."""
        self.current = None
        if self.measure is not None:
            entry, self.measure = self.measure, None
            if entry in self.helper.active:
                self.helper.end_measure(entry)


# -- object graph ---------------------------------------------------------------------------

def _raised_in(exc, codes):
    """True if an exception's traceback runs through one of these code objects."""
    tb = getattr(exc, "__traceback__", None)
    while tb is not None:
        if tb.tb_frame.f_code in codes:
            return True
        tb = tb.tb_next
    return False


def _code_lines(code):
    """Line numbers a code object's own instructions belong to (not its nested functions')."""
    if hasattr(code, "co_lines"):
        return {ln for _start, _end, ln in code.co_lines() if ln is not None}
    import dis
    return {ln for _offset, ln in dis.findlinestarts(code)}


def _type_source(t):
    """(file, first line) of a class: from its methods' code, else its module's file."""
    best = None
    for value in list(vars(t).values()):
        func = getattr(value, "__func__", value)
        code = getattr(func, "__code__", None)
        if code is not None:
            line = code.co_firstlineno
            if best is None or line < best[1]:
                best = (_norm(code.co_filename), line)
    if best is None:
        module = sys.modules.get(getattr(t, "__module__", None) or "")
        file = getattr(module, "__file__", None)
        if file:
            best = (_norm(file), 0)
    return best


def _type_name(obj):
    t = type(obj)
    if t.__name__ == "method":
        func = getattr(obj, "__func__", None)
        return "bound method %s" % getattr(func, "__qualname__", "?")
    if t.__name__ == "function":
        return "function %s" % getattr(obj, "__qualname__", "?")
    if t.__name__ == "frame":
        return "frame of %s()" % obj.f_code.co_name
    return t.__name__


def _short(key):
    text = repr(key)
    return text if len(text) <= 40 else text[:37] + "..."


def _instance_dict(obj):
    try:
        d = object.__getattribute__(obj, "__dict__")
    except Exception:
        return None
    return d if isinstance(d, dict) else None


def edges(obj):
    """(label, referent) pairs, with attribute names, indices and keys where they exist."""
    import types
    out = []
    if isinstance(obj, (list, tuple)) or type(obj).__name__ == "deque":
        for i, item in enumerate(obj):
            if i >= 10_000:
                break
            out.append(("[%d]" % i, item))
    elif isinstance(obj, dict):
        for i, (key, value) in enumerate(list(obj.items())):
            if i >= 10_000:
                break
            out.append(("[%s]" % _short(key), value))
            if gc.is_tracked(key):
                out.append(("key", key))
    elif isinstance(obj, (set, frozenset)):
        for item in list(obj)[:10_000]:
            out.append(("{item}", item))
    elif isinstance(obj, types.MethodType):
        out.append((".__self__", obj.__self__))
    elif isinstance(obj, types.FunctionType):
        for name, cell in zip(obj.__code__.co_freevars, obj.__closure__ or ()):
            try:
                out.append(("<closure %s>" % name, cell.cell_contents))
            except ValueError:
                pass
        for i, value in enumerate(obj.__defaults__ or ()):
            out.append(("<default %d>" % i, value))
    elif isinstance(obj, types.TracebackType):
        out.append((".tb_frame", obj.tb_frame))
        if obj.tb_next is not None:
            out.append((".tb_next", obj.tb_next))
    elif isinstance(obj, types.FrameType):
        if obj.f_code.co_filename != __file__:
            for name, value in list(obj.f_locals.items()):
                out.append(("[local %s]" % name, value))
    elif isinstance(obj, (types.ModuleType, type, types.CodeType, weakref.ref)):
        pass
    else:
        if isinstance(obj, BaseException):
            for name in ("__traceback__", "__context__", "__cause__"):
                value = getattr(obj, name, None)
                if value is not None:
                    out.append(("." + name, value))
        if type(obj).__name__ == "partial":
            out.append((".func", obj.func))
            out.extend(("<arg %d>" % i, a) for i, a in enumerate(obj.args))
        if type(obj).__name__ == "_lru_cache_wrapper":
            own = _instance_dict(obj)
            out.extend(("<cache>", r) for r in gc.get_referents(obj)
                       if isinstance(r, dict) and r is not own)
        d = _instance_dict(obj)
        if d is not None:
            out.extend(("." + str(k), v) for k, v in list(d.items()))
        for klass in type(obj).__mro__:
            slots = vars(klass).get("__slots__", ())
            for name in ([slots] if isinstance(slots, str) else slots):
                descriptor = vars(klass).get(name)
                if name in ("__dict__", "__weakref__") or descriptor is None:
                    continue
                try:
                    out.append(("." + name, descriptor.__get__(obj, klass)))
                except Exception:
                    pass
        if not out and gc.is_tracked(obj):
            out.extend(("->", r) for r in gc.get_referents(obj))
    return out


def _skip(obj):
    import types
    return (not gc.is_tracked(obj)
            or isinstance(obj, (type, types.ModuleType, types.CodeType, weakref.ref)))


def find_cycle(start):
    """Bounded BFS from an object back to itself: ("A.x -> list[0] -> B.y -> A", bytes) or None."""
    sid = id(start)
    parents = {sid: None}
    keep = [start]
    frontier = [start]
    for _depth in range(BFS_DEPTH):
        following = []
        for obj in frontier:
            for label, child in edges(obj):
                cid = id(child)
                if cid == sid:
                    return _render_path(parents, keep, obj, label, start)
                if cid in parents or _skip(child):
                    continue
                parents[cid] = (obj, label)
                keep.append(child)
                following.append(child)
                if len(parents) > BFS_NODES:
                    return None
        frontier = following
        if not frontier:
            return None
    return None


def _render_path(parents, keep, last, label, start):
    """The cycle as steps (type name, edge label, is an exception, size), first step = start.
    Sizes of instances are attribute-name tuples resolved at exit (see _resolve_sizes):
    measuring them now could disturb the run."""
    found = [(last, label)]
    node = last
    while parents[id(node)] is not None:
        node, lab = parents[id(node)]
        found.append((node, lab))
    found.reverse()
    steps = []
    for obj, lab in found:
        d = _instance_dict(obj)
        size = tuple(d) if d is not None and not isinstance(obj, type) else sys.getsizeof(obj, 0)
        steps.append((_type_name(obj), lab, isinstance(obj, BaseException), size))
    return steps, [step[3] for step in steps]


def path_text(steps, finding):
    """A cycle as text, rotated to start at the class the finding names first (for CYC004, at
    the exception): "Order.lines → list[0] → OrderLine.order → Order"."""
    start = 0
    if finding.exc_stats is not None:
        start = next((i for i, step in enumerate(steps) if step[2]), 0)
    else:
        for name in finding.ordered_names:
            hit = next((i for i, step in enumerate(steps) if step[0] == name), None)
            if hit is not None:
                start = hit
                break
    steps = steps[start:] + steps[:start]
    text = ""
    for name, lab, _exc, _size in steps:
        text += name + (lab if lab.startswith((".", "[")) else " " + lab) + " → "
    return text + steps[0][0]


def _resolve_sizes(sizes):
    """Total bytes of a path's members: ints as they are, attribute tuples measured."""
    return sum(s if isinstance(s, int) else instance_costs(list(s))[0] for s in sizes or ())


def _sizeof(obj):
    """Bytes an object takes. For an instance with a __dict__ this is what a fresh instance
    with the same attributes costs (measured): on 3.11 reading ``__dict__`` (as the graph
    search does) materialises a dict the program never had, and getsizeof would count it."""
    d = _instance_dict(obj)
    if d is not None and not isinstance(obj, type):
        return instance_costs(list(d))[0]
    return sys.getsizeof(obj, 0)


def _describe_all(stats_list):
    """Runtime classes as {name, file, line} for the report, each once (a class defined twice,
    e.g. a module imported under two names, has two TypeStats)."""
    out = []
    for stats in stats_list:
        file, _, line = stats.where.rpartition(":")
        entry = {"name": stats.name, "file": file, "line": int(line) if line.isdigit() else 0}
        if entry not in out:
            out.append(entry)
    return out


def _module_file(module):
    """A module's source file. CPython deletes ``__main__.__file__`` once the script has run,
    so fall back to the code of a function or class the module defines."""
    file = getattr(module, "__file__", None)
    if file:
        return _norm(file)
    name = getattr(module, "__name__", None)
    try:
        values = list(vars(module).values())
    except TypeError:
        return None
    for value in values:
        if getattr(value, "__module__", None) != name:
            continue
        code = getattr(value, "__code__", None)
        if code is not None:
            return _norm(code.co_filename)
        if isinstance(value, type):
            where = _type_source(value)
            if where:
                return where[0]
    return None


def _registry_containers(f, live):
    """The registry's container objects alive at exit, with a label such as `Bus._handlers`."""
    found = []
    if f.cache_owner:
        klass_name, method = f.cache_owner
        for module in list(sys.modules.values()):
            klass = getattr(module, klass_name, None)
            if isinstance(klass, type) and _module_file(module) in f.files:
                wrapper = vars(klass).get(method)
                if wrapper is not None:
                    found.append(("%s.%s" % (klass_name, method), wrapper))
    elif f.registry_class and f.registry_attr:
        label = "%s.%s" % (f.registry_class, f.registry_attr)
        for stats in f.types:
            if stats.name == f.registry_class:
                for owner in live.get(id(stats), []):
                    d = _instance_dict(owner)
                    if d is not None and f.registry_attr in d:
                        found.append((label, d[f.registry_attr]))
        for module in list(sys.modules.values()):
            klass = getattr(module, f.registry_class, None)
            if isinstance(klass, type) and _module_file(module) in f.files:
                value = vars(klass).get(f.registry_attr)
                if value is not None and gc.is_tracked(value):
                    found.append((label, value))
    elif f.registry_global:
        for module in list(sys.modules.values()):
            names = getattr(module, "__dict__", None)
            if names and f.registry_global in names and _module_file(module) == f.path:
                found.append((f.registry_global, names[f.registry_global]))
    return found


def _is_holder_link(obj):
    """Objects a registry keeps a subscriber through: containers, bound methods, closures,
    and the internals of a functools cache."""
    import types
    return isinstance(obj, (list, tuple, dict, set, frozenset, types.MethodType,
                            types.FunctionType)) or type(obj).__name__ in (
                                "deque", "partial", "_lru_cache_wrapper", "_HashedSeq")


def _reachable(obj, limit=500, depth=3):
    """Ids of what an object reaches (bounded): its own parts are not outside holders."""
    seen = {id(obj)}
    frontier = [obj]
    for _ in range(depth):
        following = []
        for o in frontier:
            for _label, child in edges(o):
                if id(child) not in seen and not _skip(child):
                    seen.add(id(child))
                    following.append(child)
                    if len(seen) >= limit:
                        return seen
        frontier = following
    return seen


def registry_holders(f, live):
    """WRF: subscribers alive at exit that the registry reaches and nothing outside holds."""
    containers = _registry_containers(f, live)
    subscribers = {}
    for stats in f.types:
        if stats.name in f.subscribers:
            for obj in live.get(id(stats), [])[:REGISTRY_CHECK_CAP]:
                subscribers[id(obj)] = obj
    result = {"held_by_registry": 0}
    if containers:
        result["registry"] = containers[0][0]
    if not containers or not subscribers:
        return result
    reached = {}  # id(subscriber) -> how the registry reaches it
    through = set()  # every container, bound method and closure on the way
    for label, container in containers:
        through.add(id(container))
        frontier = [(container, label)]
        for _depth in range(5):
            following = []
            for obj, text in frontier:
                for lab, child in edges(obj):
                    cid = id(child)
                    step = "%s%s%s → %s" % (text, "" if lab.startswith((".", "[")) else " ", lab,
                                            _type_name(child))
                    if cid in subscribers:
                        reached.setdefault(cid, step)
                    elif cid not in through and not _skip(child) and _is_holder_link(child):
                        through.add(cid)
                        following.append((child, step))
            frontier = following
    if not reached:
        return result
    held = [subscribers[i] for i in reached]
    ours = {id(held), id(subscribers), id(live), id(containers)} | {id(v) for v in live.values()}
    referrers = gc.get_referrers(*held)
    ours.add(id(referrers))
    outside = set()
    for r in referrers:
        if id(r) in ours or id(r) in through:
            continue
        if type(r).__name__ == "frame" and r.f_code.co_filename == __file__:
            continue
        for child in gc.get_referents(r):
            if id(child) in reached:
                outside.add((id(child), id(r)))
    only = []
    for sid in reached:
        holders = {rid for cid, rid in outside if cid == sid}
        if holders and not holders <= _reachable(subscribers[sid]):
            continue
        only.append(sid)
    del referrers
    result.update({
        "held_by_registry": len(only),
        "held_elsewhere": len(reached) - len(only),
        "registry_path": reached[only[0]] if only else next(iter(reached.values())),
        "held_bytes": sum(_sizeof(subscribers[i]) for i in only),
    })
    return result


_COSTS = {}


def _find_container(f):
    """MEM002/003/008: the cache or list a finding names, from the finding's module."""
    for module in list(sys.modules.values()):
        names = getattr(module, "__dict__", None)
        if not names:
            continue
        if f.container[0] == "global":
            if f.container[1] in names and _module_file(module) == f.path:
                return f.container[1], names[f.container[1]]
        else:
            klass = names.get(f.container[1])
            if isinstance(klass, type) and f.container[2] in vars(klass) and (
                    _module_file(module) in f.files):
                return "%s.%s" % f.container[1:], vars(klass)[f.container[2]]
    return None, None


def container_facts(f):
    """How many entries a cache or module-level container holds at exit, and what they reach."""
    label, value = _find_container(f)
    if value is None:
        return {}
    facts = {"container": label}
    info = getattr(value, "cache_info", None)
    if callable(info):
        facts["entries"] = info().currsize
        roots = [r for r in gc.get_referents(value) if isinstance(r, dict)]
    else:
        try:
            facts["entries"] = len(value)
        except TypeError:
            facts["entries"] = 0
        roots = [value]
    facts["retained_bytes"] = sum(reachable_bytes(r) for r in roots)
    return facts


def reachable_bytes(root, limit=200_000):
    """Bytes of a container and everything it reaches (bounded; shared objects count too)."""
    import types
    seen = {id(root)}
    frontier = [root]
    total = 0
    while frontier:
        following = []
        for obj in frontier:
            total += _sizeof(obj)
            # Not gc.is_tracked(): CPython untracks dicts and tuples of atomic values.
            children = [child for _label, child in edges(obj)]
            if isinstance(obj, dict):
                children.extend(obj)  # keys, tracked or not (edges() only follows tracked ones)
            for child in children:
                if id(child) in seen or isinstance(child, (type, types.ModuleType,
                                                            types.FunctionType,
                                                            types.CodeType)):
                    continue
                seen.add(id(child))
                if len(seen) > limit:
                    return total
                following.append(child)
        frontier = following
    return total


def instance_costs(attrs):
    """Bytes per instance with a __dict__ and with __slots__, measured on stand-in classes."""
    names = [a for a in attrs if isinstance(a, str) and a.isidentifier()] or ["x"]
    key = tuple(names)
    if key not in _COSTS:
        _COSTS[key] = _measure_costs(names)
    return _COSTS[key]


def _measure_costs(names):
    plain = type("MemlintPlain", (), {})
    slotted = type("MemlintSlotted", (), {"__slots__": tuple(names)})

    def cost(klass):
        started = not tracemalloc.is_tracing()
        if started:
            tracemalloc.start(1)
        try:
            items = [None] * 1000  # allocated before measuring: only instances are counted
            before = tracemalloc.get_traced_memory()[0]
            for i in range(1000):
                o = klass()
                for name in names:
                    setattr(o, name, None)
                items[i] = o
            after = tracemalloc.get_traced_memory()[0]
            return max(0, (after - before) // 1000)
        finally:
            if started:
                tracemalloc.stop()

    return cost(plain), cost(slotted)


# -- installation -----------------------------------------------------------------------------

_HELPER = None


def _on_sigterm(signum, frame):
    """Turn a timeout's SIGTERM into SystemExit so atexit (and the observations) still run."""
    if _HELPER is not None:
        _HELPER.exit_reason = "terminated"
    raise SystemExit(128 + signum)


def install():
    """Called by the generated sitecustomize.py. Idempotent; a no-op without a plan."""
    global _HELPER
    if _HELPER is not None:
        return _HELPER
    plan_path = os.environ.get(PLAN_ENV)
    out_dir = os.environ.get(OUT_ENV)
    if not plan_path or not out_dir:
        return None
    with open(plan_path, encoding="utf-8") as fh:
        plan = json.load(fh)
    helper = Helper(plan, out_dir)
    _HELPER = helper
    if any(f.kind in ("instances", "slots") for f in helper.findings):
        gc.callbacks.append(helper.on_gc)
    if not plan.get("line_tracing", True):
        helper.line_tracing = False
        for f in helper.findings:
            f.done = True
    elif helper.findings:
        sys.settrace(helper.global_trace)
        threading.settrace(helper.global_trace)
    atexit.register(helper.finish)
    previous_hook = sys.excepthook

    def excepthook(kind, value, tb):
        helper.exit_reason = "unhandled %s" % kind.__name__
        previous_hook(kind, value, tb)

    sys.excepthook = excepthook
    try:
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _on_sigterm)
    except (ValueError, OSError):
        pass  # not the main thread, or no signals here
    return helper
