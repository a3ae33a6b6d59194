"""GEN002 for-loop-over-list-comprehension: corpus.

Flags a loop that iterates a list built only to be iterated once:
``for x in [expr for ...]:``, ``for x in list(<lazy>):`` where <lazy> is a call
of the builtin range, map, filter, zip, enumerate or reversed, or a generator
expression, and a comprehension ``for`` clause that iterates a list
comprehension (``[f(a) for a in [g(b) for b in items]]``).  The list holds
every element at once; a generator expression, or the lazy iterator itself,
hands them to the loop one at a time.

Deliberately NOT flagged here:
- the snapshot idiom: the loop body mutates the collection the comprehension
  or lazy iterator reads (``del``, ``pop``, ``remove``, ``append``, subscript
  store, passing the collection to a call, or calling a method of ``self`` when
  the collection is an attribute of ``self``).  Iterated lazily, a dict would
  raise "changed size during iteration" and a list would see its own changes;
- ``list(d)``, ``list(d.keys())``, ``list(d.items())`` and ``list()`` of other
  non-builtin iterators such as ``Path.iterdir()``: snapshots, not lazy builtins;
- async comprehensions, list displays (``for attr in ["name", "email"]``),
  plain ``range(n)``, generator expressions and set comprehensions (which
  deduplicate), and a comprehension that is sliced before it is iterated.
"""

import logging
import os
import shutil
import time
from pathlib import Path

log = logging.getLogger(__name__)

INSERT_SQL = "INSERT INTO {table} ({columns}) VALUES ({marks})"


# --- log processing -----------------------------------------------------------------------------


def print_errors(entries, out):
    for entry in [e for e in entries if e.level >= logging.ERROR]:  # expect: GEN002
        out.write(entry.format() + "\n")


def tail_report(entries, out, n=20):
    for entry in list(reversed(entries[-n:])):  # expect: GEN002
        out.write(f"{entry.timestamp:%H:%M:%S} {entry.message}\n")


def log_sizes(log_dir, out):
    for path in [p for p in Path(log_dir).glob("*.log") if p.stat().st_size > 0]:  # expect: GEN002
        out.write(f"{path.name}: {path.stat().st_size} bytes\n")


def archive_logs(log_dir, archive_dir):
    # the body moves entries out of the directory being listed: keep the snapshot
    for child in list(Path(log_dir).iterdir()):
        if child.suffix == ".gz":
            shutil.move(str(child), archive_dir)


def print_levels(out):
    for level in [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR]:
        out.write(f"{logging.getLevelName(level)}\n")


def distinct_sources(entries, out):
    for source in {e.source for e in entries}:
        out.write(f"{source}\n")


# --- ORM-ish query helpers ----------------------------------------------------------------------


def apply_updates(objects, rows):
    for obj, values in list(zip(objects, rows)):  # expect: GEN002
        for field, value in values.items():
            setattr(obj, field, value)


def insert_many(cursor, table, rows):
    columns = ", ".join(rows[0].keys())
    marks = ", ".join(["?"] * len(rows[0]))
    sql = INSERT_SQL.format(table=table, columns=columns, marks=marks)
    for params in [tuple(r.values()) for r in rows]:  # expect: GEN002
        cursor.execute(sql, params)


def prune_queue(queue, done_ids):
    for job in [j for j in queue if j.id in done_ids]:
        queue.remove(job)


def resolve_optional(deps, resolver):
    # appended entries must not be visited again by this loop
    for dep in [d for d in deps if d.optional]:
        deps.append(resolver.resolve(dep))


def drain_ready(pending, now, run):
    for key in [k for k, task in pending.items() if task.due <= now]:
        run(pending.pop(key))


def unregister_stale(registry, alive):
    for name in [n for n in registry.names() if n not in alive]:
        remove_plugin(registry, name)


def first_page(rows, page_size, out):
    for row in [r for r in rows if r.visible][:page_size]:
        out.write(row.render() + "\n")


class SessionStore:
    __slots__ = ("_sessions", "_ttl")

    def __init__(self, ttl):
        self._sessions = {}
        self._ttl = ttl

    def purge_expired(self, now):
        for sid in [sid for sid, s in self._sessions.items() if now - s.last_seen > self._ttl]:
            del self._sessions[sid]

    def drop_user(self, user_id):
        for sid in [sid for sid, s in self._sessions.items() if s.user_id == user_id]:
            self._forget(sid)

    def expire_all(self):
        for sid in list(self._sessions):
            self._forget(sid)

    def _forget(self, sid):
        self._sessions.pop(sid, None)


class ConnectionPool:
    __slots__ = ("_idle", "_max_idle")

    def __init__(self, max_idle):
        self._idle = []
        self._max_idle = max_idle

    def reap(self, now):
        for conn in [c for c in self._idle if now - c.idle_since > self._max_idle]:
            self._discard(conn)

    def reap_broken(self):
        for conn in list(filter(lambda c: c.broken, self._idle)):
            self._discard(conn)

    def _discard(self, conn):
        self._idle.remove(conn)
        conn.close()


# --- report generation --------------------------------------------------------------------------


def print_table(rows, headers, out):
    for cells in [[str(r.get(h, "")) for h in headers] for r in rows]:  # expect: GEN002
        out.write(" | ".join(cells) + "\n")


def show_numbered(items, out):
    for n, item in list(enumerate(items, start=1)):  # expect: GEN002
        out.write(f"{n:3}. {item}\n")


def parse_records(raw_lines, record_type):
    return [record_type(*p) for p in [line.rstrip("\n").split("\t") for line in raw_lines] if len(p) == 5]  # expect: GEN002


def totals_by_region(sales):
    return {region: amount for region, amount in [(s.region, s.amount) for s in sales if s.amount]}  # expect: GEN002


def write_sections(report, out):
    for title in ["Summary", "Details", "Appendix"]:
        out.write(f"## {title}\n{report.section(title)}\n")


def render_totals(totals, out):
    for name, value in list(totals.items()):
        out.write(f"{name:<20}{value:>12.2f}\n")


# --- CLI tools ----------------------------------------------------------------------------------


def retry_with_backoff(fn, attempts=5):
    for attempt in list(range(1, attempts + 1)):  # expect: GEN002
        try:
            return fn()
        except ConnectionError:
            if attempt == attempts:
                raise
            time.sleep(2 ** attempt)
    return None


def parse_flags(argv):
    flags = {}
    for arg in list(filter(lambda a: a.startswith("--"), argv)):  # expect: GEN002
        name, _, value = arg[2:].partition("=")
        flags[name] = value or True
    return flags


def export_env(pairs):
    for key, value in list(map(lambda p: p.split("=", 1), pairs)):  # expect: GEN002
        os.environ[key] = value


def absolutize_outputs(argv):
    # a later iteration must see the value stored by an earlier one
    for i, arg in list(enumerate(argv)):
        if arg in ("-o", "--output") and i + 1 < len(argv):
            argv[i + 1] = os.path.abspath(argv[i + 1])
    return argv


def spin(retries, poll):
    for _ in range(retries):
        if poll():
            return True
        time.sleep(0.5)
    return False


def lowercase_all(names, out):
    for name in map(str.lower, names):
        out.write(name + "\n")


# --- data pipelines -----------------------------------------------------------------------------


def write_partitions(records, sink, n_partitions):
    for part in list(range(n_partitions)):  # expect: GEN002
        sink.write(part, (r for r in records if r.partition == part))


def emit_chunks(data, size, sink):
    for offset in list(range(0, len(data), size)):  # expect: GEN002
        sink.send(data[offset:offset + size])


def warm_cache(client, urls):
    for url in list(u for u in urls if not u.endswith(".map")):  # expect: GEN002
        client.get(url)


def tokens(text):
    return (t.lower() for t in [w.strip(".,;:") for w in text.split()])  # expect: GEN002


def strip_private_keys(record):
    for key in [k for k in record if k.startswith("_")]:
        record[key[1:]] = record.pop(key)


def normalise_keys(record):
    for key in list(record.keys()):
        record[key.lower()] = record.pop(key)


def scaled(values, factor):
    for v in (x * factor for x in values):
        yield round(v, 3)


# --- config loading -----------------------------------------------------------------------------


def load_overrides(paths, parse_ini):
    settings = {}
    for path in [Path(p).expanduser() for p in paths]:  # expect: GEN002
        if path.is_file():
            settings.update(parse_ini(path))
    return settings


def expand_includes(config, load):
    for name in [n for n in config if n.startswith("include:")]:
        config.update(load(config.pop(name)))


def drop_empty_sections(config):
    for name, section in list(config.items()):
        if not section:
            del config[name]


def config_candidates(explicit, home):
    for path in [explicit, os.path.join(home, ".apprc"), "/etc/app.conf"]:
        if path and os.path.exists(path):
            return path
    return None


# --- HTTP handlers ------------------------------------------------------------------------------


async def broadcast(message, peers):
    for peer in [p for p in peers if p.subscribed(message.topic)]:  # expect: GEN002
        await peer.send(message)


async def archive_finished(jobs, store):
    for job in [j async for j in jobs if j.finished]:
        await store.archive(job)


def strip_hop_headers(headers):
    for name in [h for h in headers if h.lower() in ("connection", "keep-alive", "upgrade")]:
        del headers[name]


def security_headers(response):
    for name, value in [("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff")]:
        response.headers.setdefault(name, value)
