"""GEN004 list-built-for-single-iteration: corpus.

Flags, inside a function, a local name that is assigned a list comprehension
or ``list(<lazy>)`` (a builtin range/map/filter/zip/enumerate/reversed call or
a generator expression) exactly once and afterwards read exactly once, as the
iterable of a ``for`` loop or of a comprehension's first clause, or as the
argument of a builtin that consumes any iterable (``sum``, ``sorted``, ...), at
the same loop nesting as the assignment.  The list exists only to be walked once; a
generator expression (or the lazy iterator) in the assignment gives the same
loop without holding every element at once.  The finding is on the assignment.

Deliberately NOT flagged here:
- the name is read more than once (two loops, ``len``, indexing, a truthiness
  test, ``sort``/``append``), returned, yielded, passed to a call, stored on an
  attribute, captured by a nested function or lambda, declared global or
  nonlocal, reassigned, or deleted;
- the loop that reads it is nested in a loop the assignment is not in
  (including a comprehension's second clause), so the list is walked many times;
- module-level and class-level names;
- the snapshot idiom: the loop (or the code before it) mutates a collection
  the list was built from, e.g. ``del cache[k]`` for keys collected from cache;
- ``list(d)`` / ``list(d.items())`` snapshots of an existing container;
- the list is built inside a ``with`` block or ``try``/``finally`` that closes
  or unlocks its source, and iterated after it: a generator would read a
  closed file/cursor, or walk shared state without the lock.
"""

import importlib
import json
import logging
import os
import random
import threading

log = logging.getLogger(__name__)

_PLUGIN_NAMES = [n.strip() for n in os.environ.get("APP_PLUGINS", "").split(",") if n.strip()]
for _name in _PLUGIN_NAMES:
    importlib.import_module(_name)

_loaded_exporters = []


class HttpStatus:
    __slots__ = ()

    _CODES = [code for code in range(100, 600) if code % 100 < 32]
    RETRYABLE = frozenset(c for c in _CODES if c in (408, 429, 502, 503, 504))


# --- report generation --------------------------------------------------------------------------


def notify_overdue(invoices, mailer, today):
    overdue = [i for i in invoices if i.due < today and not i.paid]  # expect: GEN004
    for invoice in overdue:
        mailer.send(invoice.customer_email, template="overdue", invoice=invoice)


def print_histogram(counts, out, width=40):
    peak = max(counts.values(), default=0) or 1
    bars = [(label, int(n / peak * width)) for label, n in sorted(counts.items())]  # expect: GEN004
    for label, n in bars:
        out.write(f"{label:>12} {'#' * n}\n")


def print_warnings(results, out, verbose):
    warnings = [r for r in results if r.severity == "warning"]  # expect: GEN004
    if verbose:
        for w in warnings:
            out.write(f"warning: {w.message}\n")


def write_report(results, out):
    failures = [r for r in results if not r.ok]
    for f in failures:
        out.write(f"FAIL {f.name}\n")
    for f in failures:
        out.write(f"\n--- {f.name} ---\n{f.details}\n")


def top_scores(entries, out, limit=10):
    scored = [(e.score, e.name) for e in entries]
    scored.sort(reverse=True)
    for score, name in scored[:limit]:
        out.write(f"{name:<20}{score:>8}\n")


def render_invoice(items, out):
    lines = [(i.description, i.amount) for i in items]
    lines.append(("Total", sum(amount for _, amount in lines)))
    for description, amount in lines:
        out.write(f"{description:<40}{amount:>10.2f}\n")


def table_with_header(records, out):
    rows = [r.cells() for r in records]
    out.write(" | ".join(rows[0]) + "\n")
    for row in rows[1:]:
        out.write(" | ".join(row) + "\n")


def warn_unused(imports, used, out):
    if unused := [i for i in imports if i.name not in used]:
        out.write("unused imports:\n")
        for i in unused:
            out.write(f"  {i.name} (line {i.line})\n")


# --- ORM-ish query helpers ----------------------------------------------------------------------


def apply_pending(conn, applied, available):
    pending = list(filter(lambda m: m.name not in applied, available))  # expect: GEN004
    for migration in pending:
        conn.execute(migration.sql)


def apply_and_record(conn, applied, available):
    # the loop adds to `applied`, which the filter reads
    pending = list(filter(lambda m: m.name not in applied, available))
    for migration in pending:
        conn.execute(migration.sql)
        applied.add(migration.name)


def seed_fixtures(session, fixture_type, names):
    indices = list(range(len(names)))  # expect: GEN004
    for i in indices:
        session.add(fixture_type(id=i + 1, name=names[i]))


def diff_columns(old, new, out):
    pairs = list(zip(old.columns, new.columns))  # expect: GEN004
    for before, after in pairs:
        if before != after:
            out.write(f"- {before}\n+ {after}\n")


def import_rows(conn, raw_rows, parse_row):
    parsed = [parse_row(r) for r in raw_rows]
    for row in parsed:
        conn.execute("INSERT INTO events VALUES (?, ?, ?)", row)
    log.info("imported %d rows", len(parsed))


def visible_columns(columns, hidden):
    cols = [c for c in columns if c.name not in hidden]
    return cols


def attach_lines(invoice, raw_lines, line_type):
    lines = [line_type.parse(raw) for raw in raw_lines]
    invoice.lines = lines


def fetch_users(conn, index):
    cur = conn.cursor()
    try:
        cur.execute("SELECT id, email FROM users")
        users = [(row[0], row[1].lower()) for row in cur]
    finally:
        cur.close()
    for user_id, email in users:
        index.add(email, user_id)


def evict_stale(cache, now, ttl):
    stale = [key for key, (stamp, _) in cache.items() if now - stamp > ttl]
    for key in stale:
        del cache[key]


def drop_closed(clients):
    gone = list(filter(lambda c: c.closed, clients))
    for client in gone:
        clients.remove(client)


def expire_sessions(sessions, now):
    entries = list(sessions.items())
    for sid, session in entries:
        if session.expires < now:
            del sessions[sid]


# --- data pipelines -----------------------------------------------------------------------------


def export_csv(rows, writer, columns):
    writer.writerow(columns)
    records = list(map(lambda r: [r.get(c, "") for c in columns], rows))  # expect: GEN004
    for record in records:
        writer.writerow(record)


def post_batches(batches, client):
    for batch in batches:
        payload = [item.to_dict() for item in batch if item.dirty]  # expect: GEN004
        for doc in payload:
            client.index(doc)


def unwind(frames, out):
    innermost_first = list(reversed(frames))  # expect: GEN004
    for frame in innermost_first:
        out.write(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n')


def warm(client, base, routes):
    urls = list(f"{base}{r.path}" for r in routes if r.cacheable)  # expect: GEN004
    for url in urls:
        client.get(url)


def index_users(users):
    emails = [u.email.lower() for u in users if u.email]  # expect: GEN004
    return {e: e.partition("@")[2] for e in emails}


def order_total(order):
    amounts = [line.qty * line.unit_price for line in order.lines]  # expect: GEN004
    return sum(amounts)


def display_names(users):
    names = [u.display_name.strip() for u in users if u.display_name]  # expect: GEN004
    return sorted(names, key=str.casefold)


def match_count(lines, needle):
    matches = [line for line in lines if needle in line]
    return len(matches)


def load_fixture_file(conn, path):
    with open(path, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]  # expect: GEN004
        for doc in docs:
            conn.execute("INSERT INTO docs VALUES (?, ?)", (doc["id"], json.dumps(doc)))


def load_seed_rows(conn, path):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    # the file is closed here: a generator would be read after close
    for row in rows:
        conn.execute("INSERT INTO seed VALUES (?, ?)", (row["id"], row["name"]))


def save_snapshot(items, path):
    rows = [i.to_dict() for i in items]
    with open(path, "w", encoding="utf-8") as f:
        json.dump(rows, f)


def chunked(records, size):
    for start in range(0, len(records), size):
        batch = [r for r in records[start:start + size] if r is not None]
        yield batch


def shuffled_replay(events, sink, seed):
    order = list(range(len(events)))
    random.Random(seed).shuffle(order)
    for i in order:
        sink.send(events[i])


def reindex(search, docs):
    bodies = [d.render() for d in docs]
    for body in bodies:
        search.add(body)
    del bodies
    search.commit()


def clean_tags(raw):
    parts = [p.strip() for p in raw.split(",")]
    parts = [p for p in parts if p]
    for p in parts:
        log.debug("tag %s", p)


def match_rules(requests, rules_cfg, compile_rule):
    rules = [compile_rule(c) for c in rules_cfg]
    for req in requests:
        for rule in rules:
            if rule.matches(req):
                req.tag(rule.name)


def cross_product(users, role_names):
    roles = [r.lower() for r in role_names]
    return [(u, r) for u in users for r in roles]


def tag_documents(docs, keywords):
    needles = [k.lower() for k in keywords]
    for doc in docs:
        doc.tags = [n for n in needles if n in doc.text.lower()]


def pump(queue, sink_configs, make_sink):
    sinks = [make_sink(c) for c in sink_configs]
    while True:
        msg = queue.get()
        if msg is None:
            break
        for sink in sinks:
            sink.send(msg)


# --- CLI tools ----------------------------------------------------------------------------------


def audit_permissions(roles, report):
    grants: list[tuple[str, str]] = [(r.name, p) for r in roles for p in r.permissions]  # expect: GEN004
    for role, perm in grants:
        report.add_row(role, perm)


def print_steps(steps, out):
    numbered = list(enumerate(steps, start=1))  # expect: GEN004
    for n, step in numbered:
        out.write(f"[{n}] {step.title}\n")


def print_env(out):
    names = list(os.environ)
    for name in names:
        if name.startswith("APP_"):
            out.write(f"{name}={os.environ[name]}\n")


def scrub_env(prefix):
    keys = [k for k in os.environ if k.startswith(prefix)]
    for key in keys:
        os.environ.pop(key)


def make_dispatcher(registry):
    handlers = [h for h in registry.handlers() if h.enabled]

    def dispatch(event):
        for handler in handlers:
            handler(event)

    return dispatch


def rank_by_priority(tasks, order_spec):
    order = [s.strip() for s in order_spec.split(",")]
    return sorted(tasks, key=lambda t: order.index(t.priority))


def load_exporters(names):
    global _loaded_exporters
    _loaded_exporters = [importlib.import_module(f"exporters.{n}") for n in names]
    for module in _loaded_exporters:
        module.setup()


def make_route_reloader(loader):
    routes = []

    def reload():
        nonlocal routes
        routes = [r for r in loader.load() if r.enabled]
        for r in routes:
            log.info("route %s -> %s", r.path, r.target)

    def current():
        return routes

    return reload, current


# --- HTTP handlers ------------------------------------------------------------------------------


async def fan_out(message, subscribers):
    targets = [s for s in subscribers if s.wants(message.topic)]  # expect: GEN004
    for s in targets:
        await s.deliver(message)


async def list_items(request, store):
    items = [i.to_json() for i in await store.list(owner=request.user_id)]
    if not items:
        return {"items": [], "empty": True}
    return {"items": items, "empty": False}


class WorkerPool:
    __slots__ = ("_lock", "_workers")

    def __init__(self):
        self._lock = threading.Lock()
        self._workers = []

    def shutdown(self, reason):
        with self._lock:
            alive = [w for w in self._workers if w.is_alive()]
        # w.stop() may block: it must run without holding the lock
        for w in alive:
            w.stop(reason)

    def report_dead(self):
        dead = [w for w in self._workers if not w.is_alive()]  # expect: GEN004
        for w in dead:
            log.warning("worker %s exited with code %s", w.name, w.exitcode)
