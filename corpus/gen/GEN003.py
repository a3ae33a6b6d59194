"""GEN003 readlines-in-for: corpus.

Flags ``for line in f.readlines():`` -- and the same argument-less call as the
iterable of a comprehension or generator-expression clause, including
``open(path).readlines()`` -- because readlines() reads the whole file into a
list before the first line is handled, while iterating the file object itself
streams the same lines one at a time.

Deliberately NOT flagged here:
- ``readlines(hint)`` with a size hint: bounded, chunked reading;
- a loop whose body uses that file object itself (``f.write``, ``f.seek``,
  ``print(..., file=f)``): reading everything first is what stops lines the
  loop writes from being read back by the same loop;
- ``lines = f.readlines()`` kept for ``len``, indexing or a second pass, and
  readlines() outside a loop header: returned, unpacked, or wrapped in
  ``reversed(...)`` (which needs a sequence) or sliced (``[1:]``) before the
  loop sees it;
- loops that already iterate the file or call ``readline()``.
"""

import gzip
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)


# --- log processing -----------------------------------------------------------------------------


def count_errors(path):
    count = 0
    with open(path, encoding="utf-8") as f:
        for line in f.readlines():  # expect: GEN003
            if " ERROR " in line:
                count += 1
    return count


def grep(paths, pattern, out):
    rx = re.compile(pattern)
    for path in paths:
        with open(path, errors="replace") as f:
            for line in f.readlines():  # expect: GEN003
                if rx.search(line):
                    out.write(f"{path}: {line}")


def load_json_lines(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f.readlines():  # expect: GEN003
            if line.strip():
                yield json.loads(line)


def stream_events(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def last_error(path):
    with open(path, encoding="utf-8") as f:
        for line in reversed(f.readlines()):
            if " ERROR " in line:
                return line
    return None


def count_lines_chunked(path, chunk=1 << 20):
    total = 0
    with open(path, "rb") as f:
        while True:
            lines = f.readlines(chunk)
            if not lines:
                break
            total += len(lines)
    return total


def first_record(path):
    with open(path, encoding="utf-8") as f:
        while line := f.readline():
            if not line.startswith("#"):
                return line
    return None


# --- CLI tools ----------------------------------------------------------------------------------


def word_count_stdin():
    words = 0
    for line in sys.stdin.readlines():  # expect: GEN003
        words += len(line.split())
    sys.stdout.write(f"{words}\n")


def echo_numbered():
    for n, line in enumerate(sys.stdin, start=1):
        sys.stdout.write(f"{n:6}\t{line}")


def compiler_warnings(cmd):
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    warnings = []
    for line in proc.stdout.readlines():  # expect: GEN003
        if line.startswith("warning:"):
            warnings.append(line[len("warning:"):].strip())
    proc.wait()
    return warnings


def copy_uncommented(src, dst):
    with open(src, encoding="utf-8") as fin, open(dst, "w", encoding="utf-8") as fout:
        for line in fin.readlines():  # expect: GEN003
            if not line.lstrip().startswith("#"):
                fout.write(line)


def read_requirements(path):
    with open(path, encoding="utf-8") as f:
        return [r.strip() for r in f.readlines() if r.strip() and not r.startswith("#")]  # expect: GEN003


def sniff_format(path):
    # only the first few KiB of lines are needed to guess the format
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f.readlines(4096):
            if line.startswith("{"):
                return "jsonl"
            if line.count(",") >= 2:
                return "csv"
    return "text"


def read_all(path):
    with open(path, encoding="utf-8") as f:
        return f.readlines()


# --- report generation / data pipelines ---------------------------------------------------------


def ingest(path, sink):
    with open(path, "rb") as f:
        for raw in f.readlines():  # expect: GEN003
            sink.put(raw.rstrip(b"\n"))


def data_rows(path):
    # the header is skipped by slicing the list: not a plain readlines() iteration
    with open(path, encoding="utf-8") as f:
        for line in f.readlines()[1:]:
            yield line.rstrip("\n").split(",")


def read_fixed_header(path):
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    if len(lines) < 3:
        raise ValueError(f"{path}: truncated header")
    return lines[0].strip(), lines[1].strip(), lines[2:]


def import_with_progress(path, db):
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    for n, line in enumerate(lines, start=1):
        db.insert(json.loads(line))
        if n % 1000 == 0:
            log.info("imported %d/%d", n, len(lines))


def split_title(path):
    with open(path, encoding="utf-8") as f:
        title, *body = f.readlines()
    return title.strip(), body


def sizes_by_file(paths):
    sizes = {}
    for path in paths:
        with open(path, "rb") as f:
            sizes[path] = len(f.readlines())
    return sizes


def known_users(path):
    with Path(path).open(encoding="utf-8") as f:
        return {line.split(":", 1)[0] for line in f.readlines() if not line.startswith("#")}  # expect: GEN003


def migrate_keys(path, renames):
    """Append the new spelling of every deprecated key at the end of the file."""
    with open(path, "r+", encoding="utf-8") as f:
        for line in f.readlines():
            key, sep, value = line.partition("=")
            if sep and key.strip() in renames:
                f.write(f"{renames[key.strip()]}={value}")


def mark_done(path):
    with open(path, "a+", encoding="utf-8") as f:
        f.seek(0)
        for line in f.readlines():
            if line.startswith("TODO "):
                print(f"DONE {line[5:].strip()}", file=f)


def stamp_version(path, version):
    with open(path, "r+", encoding="utf-8") as f:
        for line in f.readlines():
            if line.startswith("__version__"):
                f.seek(0, os.SEEK_END)
                f.write(f"# bumped from {line.strip()} to {version}\n")
                break


# --- config loading -----------------------------------------------------------------------------


def load_hosts(path):
    hosts = {}
    for line in open(path, encoding="utf-8").readlines():  # expect: GEN003
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 2:
            hosts.update(dict.fromkeys(fields[1:], fields[0]))
    return hosts


def parse_env_file(path):
    with open(path, encoding="utf-8") as fh:
        return dict(line.strip().split("=", 1) for line in fh.readlines() if "=" in line)  # expect: GEN003


def ini_sections(path):
    sections = []
    with open(path, encoding="utf-8") as cfg:
        for line in cfg.readlines():  # expect: GEN003
            line = line.strip()
            if line.startswith("[") and line.endswith("]"):
                sections.append(line[1:-1])
    return sections


def ensure_lines(path, wanted):
    with open(path, "a+", encoding="utf-8") as f:
        f.seek(0)
        present = {line.rstrip("\n") for line in f}
        for entry in wanted:
            if entry not in present:
                f.write(entry + "\n")


# --- HTTP handlers ------------------------------------------------------------------------------


def upload_line_count(request):
    upload = request.files["data"]
    rows = 0
    for line in upload.stream.readlines():  # expect: GEN003
        if line.strip():
            rows += 1
    return {"rows": rows}


def robots_disallowed(path):
    with open(path, encoding="utf-8") as f:
        return [line.split(":", 1)[1].strip() for line in f if line.lower().startswith("disallow:")]


def access_log_tail(path, n=50):
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    return {"lines": lines[-n:], "total": len(lines)}
