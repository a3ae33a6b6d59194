"""Workload for measuring the overhead of `memlint verify` (see README, "Verifying findings at
runtime"). Plain Python, under a second per 300 rounds: a document tree with parent
back-pointers, an event bus, a list materialisation in a hot function, and many small calls.
`summary()` only runs with --summary, so by default one finding is never exercised (the usual
case in a real project, and the expensive one for the line tracer).

    python3 tests/verify/workload/workload.py 300
    build/memlint verify tests/verify/workload -- python3 tests/verify/workload/workload.py 300
"""

import sys


class EventBus:
    def __init__(self):
        self.handlers = []

    def subscribe(self, handler):
        self.handlers.append(handler)

    def publish(self, value):
        for handler in self.handlers:
            handler(value)


BUS = EventBus()


class Section:
    def __init__(self, title):
        self.title = title
        self.paragraphs = []

    def add(self, text):
        paragraph = Paragraph(text, self)
        self.paragraphs.append(paragraph)
        return paragraph


class Paragraph:
    def __init__(self, text, section):
        self.text = text
        self.section = section
        self.words = len(text.split())


class Counter:
    def __init__(self):
        self.total = 0
        BUS.subscribe(self.on_value)

    def on_value(self, value):
        self.total += value


def score(words):
    return sum([len(w) * 3 for w in words])


def checksum(n):
    value = 0
    for i in range(n):
        value = (value * 31 + i) % 1_000_003
    return value


def summary(sections):
    return max([len(section.paragraphs) for section in sections])


def main(rounds=40, with_summary=False):
    total = 0
    for r in range(rounds):
        sections = []
        for s in range(200):
            section = Section("section %d" % s)
            for p in range(5):
                section.add("lorem ipsum dolor sit amet %d %d" % (r, p))
            sections.append(section)
        for section in sections:
            for paragraph in section.paragraphs:
                total += score(paragraph.text.split())
        total += checksum(20_000)
        if r % 10 == 0:
            Counter()
        BUS.publish(r)
        if with_summary:
            total += summary(sections)
    return total


if __name__ == "__main__":
    print(main(int(sys.argv[1]) if len(sys.argv) > 1 else 40, "--summary" in sys.argv))
