"""GEN001 list-comprehension-in-call: corpus.

Flags a *list* comprehension passed as a positional argument to one of the
builtins sum, any, all, min, max, sorted, tuple, set, frozenset or dict.  Each
of them consumes its argument exactly once, so the comprehension builds a whole
list only for it to be thrown away; a generator expression gives the same
result without the intermediate list (and lets any/all stop at the first
decisive element).  The rewrite changes evaluation order and laziness, so any
fix is unsafe.

Deliberately NOT flagged here:
- ``sep.join([...])`` / ``b"".join([...])``: str.join materialises a sequence
  anyway and is faster when it is handed a list;
- generator expressions, set comprehensions and dict comprehensions passed to
  these builtins (a set comprehension before ``sorted`` deduplicates);
- list displays (``all([host, port, user])``) and star-unpacked arguments
  (``min(*[...], cap)``), which are not a single consumed iterable;
- async comprehensions and comprehensions containing ``await``: a generator
  expression cannot await, so there is nothing equivalent to suggest;
- a builtin name that is shadowed: ``max`` is numpy's throughout this module
  (numpy needs a real sequence), ``sum`` is imported from numpy inside one
  function and ``all`` is a local variable in another;
- other callables (``len``, ``list``, ``statistics.median``, ``math.fsum``,
  numpy's ``percentile``) and methods that merely share a name
  (``np.sum``, ``np.max``);
- a list comprehension passed by keyword, e.g. ``dict(groups=[...])``, where
  the list is stored, not consumed.
"""

from __future__ import annotations

import logging
import math
import os
import statistics
from collections import Counter

import numpy as np
from numpy import max, percentile  # numpy's max shadows the builtin in this module

log = logging.getLogger(__name__)

ENABLED_REGIONS = frozenset([r.strip().lower() for r in os.environ.get("APP_REGIONS", "eu,us").split(",")])  # expect: GEN001
DEFAULT_COLUMNS = ("timestamp", "level", "path", "status", "duration_ms")


# --- log processing -----------------------------------------------------------------------------


def error_rate(entries):
    if not entries:
        return 0.0
    errors = sum([1 for e in entries if e.level >= logging.ERROR])  # expect: GEN001
    return errors / len(entries)


def bytes_served(entries, start=0):
    return sum([e.response_size for e in entries if e.status < 400], start)  # expect: GEN001


def any_fatal(entries):
    return any([e.level == logging.CRITICAL for e in entries])  # expect: GEN001


def first_timestamp(entries):
    return min([e.timestamp for e in entries], default=None)  # expect: GEN001


def slowest_requests(entries, limit=10):
    return sorted([(e.duration_ms, e.path) for e in entries], reverse=True)[:limit]  # expect: GEN001


def level_summary(entries):
    levels = Counter(e.level_name for e in entries)
    parts = ", ".join([f"{name}={count}" for name, count in levels.most_common()])
    return f"{len(entries)} entries ({parts})"


def render_lines(entries):
    return "\n".join([e.format() for e in entries]) + "\n"


def pack_records(records):
    return b"".join([r.to_bytes() for r in records])


def p95_latency(entries):
    return percentile([e.duration_ms for e in entries], 95)


def peak_concurrency(windows):
    # numpy's max: element-wise over the per-window arrays, needs a real sequence
    return max([w.active_per_worker for w in windows], axis=0)


def busiest_minute(entries):
    per_minute = Counter(e.timestamp.replace(second=0, microsecond=0) for e in entries)
    return per_minute.most_common(1)[0] if per_minute else None


# --- ORM-ish query helpers ----------------------------------------------------------------------


def has_pending_migrations(applied, available):
    return not all([m.name in applied for m in available])  # expect: GEN001


def row_key(row, columns):
    return tuple([row[c] for c in columns])  # expect: GEN001


def where_clause(filters):
    clause = " AND ".join([f"{col} = %s" for col in filters])
    return clause, tuple(filters.values())


def primary_keys(rows):
    return set([r["id"] for r in rows])  # expect: GEN001


def index_by_id(rows):
    return dict([(r["id"], r) for r in rows])  # expect: GEN001


def user_payload(user, groups):
    return dict(id=user.id, email=user.email, groups=[g.name for g in groups])


def distinct_tables(queries):
    return sorted({q.table for q in queries})


def columns_in_use(queries):
    return frozenset({c for q in queries for c in q.selected_columns})


def column_widths(rows, headers):
    return np.max([[len(str(row[h])) for h in headers] for row in rows], axis=0)


def count_active(rows):
    return sum(1 for r in rows if r["active"])


# --- report generation --------------------------------------------------------------------------


def monthly_totals(invoices, months):
    return {m: sum([i.amount for i in invoices if i.month == m]) for m in months}  # expect: GEN001


def summary_footer(orders):
    return f"total: {sum([o.total for o in orders]):.2f}"  # expect: GEN001


def sort_by_revenue(customers):
    customers.sort(key=lambda c: sum([o.total for o in c.orders]), reverse=True)  # expect: GEN001
    return customers


def average_basket(orders):
    return statistics.fmean([o.total for o in orders]) if orders else 0.0


def median_delivery_days(orders):
    return statistics.median([(o.delivered - o.placed).days for o in orders])


def precise_total(lines):
    return math.fsum([line.amount for line in lines])


def shipped_count(orders):
    return len([o for o in orders if o.status == "shipped"])


def largest_order(orders):
    # numpy's max again (module-level import): a list is what it expects
    return max([o.total for o in orders]) if orders else 0.0


def report_header(title, period, tags):
    return " | ".join([title, period.label, *tags])


# --- CLI tools ----------------------------------------------------------------------------------


def parse_ports(spec):
    return sorted(set([int(p) for p in spec.split(",") if p.strip()]))  # expect: GEN001


def validate_args(args):
    if not all([args.host, args.port, args.user]):
        raise SystemExit("--host, --port and --user are required")
    if any([p.startswith("-") for p in args.paths]):  # expect: GEN001
        raise SystemExit("paths must come after --")


def print_commands(registry, out, all=False):
    # `all` is the --all flag here; sorted() is still the builtin
    commands = sorted([c for c in registry.commands if all or not c.hidden], key=lambda c: c.name)  # expect: GEN001
    width = np.max([len(c.name) for c in commands]) if commands else 0
    for c in commands:
        out.write(f"  {c.name:<{width}}  {c.summary}\n")


def help_column(options, cap=30):
    # star-unpacked into separate arguments, not consumed as one iterable
    return min(*[len(o.flag) + 4 for o in options], cap)


def quorum_reached(ballots, policy):
    # `all` is the policy's combiner (unanimous, two-thirds, ...), not the builtin
    all = policy.combiner
    return all([b.approved for b in ballots])


def explicit_hosts(cli_hosts):
    return list([h.strip() for h in cli_hosts if h.strip()])


# --- data pipelines -----------------------------------------------------------------------------


def batch_is_valid(batch, schema):
    return all([schema.validate(rec) for rec in batch])  # expect: GEN001


def value_range(batch):
    lo = min([r.value for r in batch])  # expect: GEN001
    hi = max([r.value for r in batch])
    return lo, hi


def weighted_score(features, weights):
    return sum([f * w for f, w in zip(features, weights)], 0.0)  # expect: GEN001


def band_energy(frames):
    from numpy import sum  # shadows the builtin inside this function only

    return sum([f.power for f in frames], axis=0)


def total_energy(frames):
    return sum([f.energy for f in frames])  # expect: GEN001


def stack_vectors(batch):
    return np.sum([r.vector for r in batch], axis=0)


def dedupe_keys(batch):
    return frozenset({rec.key for rec in batch})


def nonempty_payloads(batch):
    return sum(1 for r in batch if r.payload)


# --- config loading -----------------------------------------------------------------------------


def load_feature_flags(config):
    return frozenset([name for name, on in config.get("features", {}).items() if on])  # expect: GEN001


def merged_settings(layers):
    return dict([kv for layer in layers for kv in layer.items()])  # expect: GEN001


def env_overrides(prefix):
    return dict((k[len(prefix):].lower(), v) for k, v in os.environ.items() if k.startswith(prefix))


def missing_keys(config, required):
    return sorted(required - config.keys())


def search_path(explicit, defaults):
    return tuple([explicit, *defaults]) if explicit else tuple(defaults)


def config_digest(sections):
    return hash(tuple(sorted(s.name for s in sections)))


# --- HTTP handlers ------------------------------------------------------------------------------


async def health(request, backends):
    statuses = await request.app.probe(backends)
    ok = all([s.healthy for s in statuses])  # expect: GEN001
    return {"ok": ok, "backends": len(statuses)}


async def any_replica_reachable(replicas):
    return any([await r.ping() for r in replicas])


async def collect_tags(stream):
    return sorted([t.lower() async for t in stream])


def preferred_types(accept_header):
    return sorted([part.split(";")[0].strip() for part in accept_header.split(",")], key=len, reverse=True)  # expect: GEN001


def allowed_methods(routes, path):
    return ", ".join(sorted({r.method for r in routes if r.path == path}))


def cookie_header(cookies):
    return "; ".join([f"{k}={v}" for k, v in cookies.items()])


def etag_for(parts):
    return hash(tuple(p.digest for p in parts))
