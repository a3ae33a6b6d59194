"""MEM007: parameter-sized lists rebuilt on every iteration but only read."""


def score(rows, width):
    for row in rows:
        weights = [1.0] * width  # expect: MEM007
        yield sum(weights[i] * row[i] for i in range(len(row)))


def valid(codes, limit):
    hits = 0
    for code in codes:
        allowed = list(range(limit))  # expect: MEM007
        if code in allowed:
            hits += 1
    return hits


def columns(table, n):
    for line in table:
        blank = n * [None]  # expect: MEM007
        for i in range(len(blank)):
            print(line, blank[i])


# --- near misses --------------------------------------------------------------------------


def zeroed(rows, width):
    for row in rows:
        buf = [0] * width
        for i, v in enumerate(row):
            buf[i] += v
        yield buf


def handed_on(rows, width, consume):
    for row in rows:
        mask = [False] * width
        consume(row, mask)


def outside(rows, width):
    weights = [1.0] * width
    for row in rows:
        yield weights[0] * row


def local_size(rows):
    for row in rows:
        size = len(row)
        slots = [0] * size
        yield slots[0]


def reassigned(rows, width):
    width = width * 2
    for row in rows:
        w = [1] * width
        yield w[0] + row
