#!/usr/bin/env python3
"""Prints, one per line and sorted, the Python files `memlint check DIR` would check under DIR.

Mirrors analyzer/Discover.cpp: *.py and *.pyi; the default-excluded directory names and
virtualenvs (a directory holding pyvenv.cfg) are skipped; symlinked directories are not followed;
a symlink to a regular file is kept.

    files.py DIR [--sample N] [--exclude PATTERN]...
"""
import os
import sys

EXCLUDED = {
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".mypy_cache", ".nox",
    ".pants.d", ".pytype", ".ruff_cache", ".svn", ".tox", ".venv", "__pypackages__",
    "__pycache__", "_build", "buck-out", "dist", "node_modules", "site-packages",
    ".memlint_cache",
}


def walk(directory, out):
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.path)
    except OSError as error:
        print(f"files.py: cannot read {directory}: {error}", file=sys.stderr)
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name in EXCLUDED or os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
                continue
            walk(entry.path, out)
        elif entry.name.endswith((".py", ".pyi")):
            if entry.is_symlink() and not os.path.isfile(entry.path):
                continue
            out.append(entry.path)


def main(argv):
    import argparse
    import fnmatch
    ap = argparse.ArgumentParser(description="Python files `memlint check DIR` would check")
    ap.add_argument("dir")
    ap.add_argument("--sample", type=int, help="N files evenly spaced through the sorted list")
    ap.add_argument("--exclude", action="append", default=[],
                    help="drop paths matching this fnmatch pattern (repeatable)")
    a = ap.parse_args(argv)
    files = []
    walk(a.dir.rstrip("/") or "/", files)
    files = sorted(f for f in files if not any(fnmatch.fnmatch(f, p) for p in a.exclude))
    if a.sample is not None and 0 < a.sample < len(files):
        step = len(files) / a.sample
        files = [files[int(i * step)] for i in range(a.sample)]
    sys.stdout.write("".join(f + "\n" for f in files))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
