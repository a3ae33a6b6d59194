"""MEM004: += on str/bytes where CPython cannot append in place."""
import socket

log = ""
for i in range(100000):
    log += f"line {i}\n"  # expect: MEM004


class Response:
    def __init__(self, chunks):
        self.body = ""
        for chunk in chunks:
            self.body += chunk  # expect: MEM004


class Page:
    def render(self, rows):
        for row in rows:
            self.html += "<tr>" + row + "</tr>"  # expect: MEM004


def sections(lines):
    parts = {"head": "", "body": ""}
    for line in lines:
        parts["body"] += line.strip()  # expect: MEM004
    return parts


def receive(sock: socket.socket):
    data = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk  # expect: MEM004
    return data


def report(items):
    text = ""

    def show():
        return text

    for item in items:
        text += str(item)  # expect: MEM004
    return show()


def total(items):
    out = ""

    def add_all():
        nonlocal out
        for item in items:
            out += repr(item)  # expect: MEM004

    add_all()
    return out


# --- near misses --------------------------------------------------------------------------


def local_join(items):
    s = ""
    for item in items:
        s += str(item)  # a plain local str: CPython appends in place
    return s


def per_node(nodes):
    for node in nodes:
        node.text += "!"  # a different object on each pass


def per_index(parts, pieces):
    for i, piece in enumerate(pieces):
        parts[i] += piece  # a different element on each pass


def numbers(values):
    count = 0
    for v in values:
        count += v
    return count


class Totals:
    def add(self, values):
        for v in values:
            self.sum += v  # not known to be text


def lists(groups):
    acc = []
    for g in groups:
        acc += g
    return acc


def few():
    head = ""
    for part in ("a", "b", "c"):
        head += part
    return head


def buffered(sock):
    buf = bytearray()
    while True:
        chunk = sock.recv(1024)
        if not chunk:
            break
        buf += chunk
    return bytes(buf)
