"""MEM005: a whole file read and split into lines only to be iterated once."""
import sys
from pathlib import Path


def count_errors(path):
    errors = 0
    with open(path) as f:
        for line in f.read().splitlines():  # expect: MEM005
            if "ERROR" in line:
                errors += 1
    return errors


def load_ids(path: Path):
    return {int(line) for line in path.read_text().split("\n") if line}  # expect: MEM005


def stdin_words():
    text = sys.stdin.read()
    lines = text.splitlines()  # expect: MEM005
    for line in lines:
        yield from line.split()


def direct(path):
    for row in open(path).read().split('\n'):  # expect: MEM005
        print(row)


# --- near misses --------------------------------------------------------------------------


def indexed(path):
    lines = Path(path).read_text().splitlines()
    return lines[0], len(lines)


def twice(path):
    with open(path) as f:
        lines = f.read().splitlines()
    for line in lines:
        print(line)
    return lines


def not_a_file(response):
    for line in response.read().splitlines():
        print(line)


def chunked(path):
    with open(path) as f:
        for line in f.read(1024).splitlines():
            print(line)


def by_comma(path):
    for field in Path(path).read_text().split(","):
        print(field)


def streaming(path):
    with open(path) as f:
        for line in f:
            print(line.rstrip("\n"))
