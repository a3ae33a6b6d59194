#!/usr/bin/env python3
"""Latency from textDocument/didChange to the matching publishDiagnostics in `memlint server`.

Opens a generated Python file (5,000 lines by default) and makes one-character edits, as typing
does: insert a character in a comment, delete it again, each edit at a different line. For every
edit it measures the time from writing the didChange notification to reading the
publishDiagnostics for that document version, and prints the median and spread.

The server runs with `--debounce-ms 0` by default so the numbers are the server's own work
(incremental reparse, lowering, rules, JSON); an editor session adds the debounce delay
(100 ms by default) on top. `--full-sync` sends the whole text with each edit instead of a
ranged change, which shows what incremental sync and tree reuse save.

`--file PATH` uses an existing file instead (for instance /usr/lib/python3.11/_pydecimal.py,
6,425 lines), editing its full-line comments.

Usage: bench/lsp/didchange_latency.py [--memlint build/memlint] [--lines 5000 | --file PATH]
                                      [--edits 300] [--debounce-ms 0] [--full-sync]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

BLOCK = '''\
class Record{n}:
    """A record with a few fields."""  # note

    def __init__(self, name, values):
        self.name = name
        self.values = list(values)

    def total(self):
        return sum([v * 2 for v in self.values])

    def largest(self, limit):
        best = [v for v in self.values if v < limit]
        for v in best:
            print(v)
        return max(self.values, default=None)


def load_{n}(path):
    with open(path, encoding="utf-8") as handle:  # café ✓
        for line in handle.readlines():
            yield line.strip()


'''


def generate(lines):
    block_lines = BLOCK.count("\n")
    blocks = [BLOCK.format(n=i) for i in range((lines + block_lines - 1) // block_lines)]
    text = "".join(blocks)
    return "\n".join(text.split("\n")[:lines]) + "\n"


class Server:
    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.buffer = b""

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def receive(self):
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end >= 0:
                header = self.buffer[:end].decode()
                length = int(header.split("Content-Length:")[1].split("\r\n")[0])
                if len(self.buffer) >= end + 4 + length:
                    body = self.buffer[end + 4:end + 4 + length]
                    self.buffer = self.buffer[end + 4 + length:]
                    return json.loads(body)
            chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
            if not chunk:
                raise RuntimeError("server exited")
            self.buffer += chunk

    def wait_for(self, predicate):
        while True:
            message = self.receive()
            if predicate(message):
                return message


def cpu_seconds(pid):
    """User plus system CPU time of a process (Linux /proc), to tell the server's own work from
    time spent waiting for a busy machine."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--memlint", default=os.path.join(os.path.dirname(__file__), "..", "..", "build", "memlint"))
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--file", help="benchmark this Python file instead of a generated one")
    parser.add_argument("--edits", type=int, default=300)
    parser.add_argument("--debounce-ms", type=int, default=0)
    parser.add_argument("--full-sync", action="store_true")
    args = parser.parse_args()

    text = open(args.file, encoding="utf-8").read() if args.file else generate(args.lines)
    lines = text.split("\n")
    # Typing at the end of a comment keeps the file valid wherever the comment is.
    comment_lines = [i for i, line in enumerate(lines)
                     if line.endswith("# note") or (args.file and line.lstrip().startswith("#"))]
    workdir = tempfile.mkdtemp(prefix="memlint-lsp-bench-")
    uri = "file://" + os.path.join(workdir, "big.py")
    server = Server([args.memlint, "server", "--debounce-ms", str(args.debounce_ms)])
    server.send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                 "params": {"processId": None, "rootUri": "file://" + workdir, "capabilities": {}}})
    server.wait_for(lambda m: m.get("id") == 1)
    server.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})

    def published(version):
        return lambda m: (m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"]["uri"] == uri and m["params"].get("version") == version)

    start = time.perf_counter()
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                 "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}})
    first = server.wait_for(published(1))
    open_ms = (time.perf_counter() - start) * 1000

    samples = []
    version = 1
    cpu_start = cpu_seconds(server.proc.pid)
    for edit in range(args.edits):
        line = comment_lines[(edit // 2 * 7919) % len(comment_lines)]
        column = len(lines[line])
        if edit % 2 == 0:  # type a character at the end of the comment ...
            change = {"range": {"start": {"line": line, "character": column},
                                "end": {"line": line, "character": column}}, "text": "x"}
            lines[line] += "x"
        else:  # ... and delete it again
            change = {"range": {"start": {"line": line, "character": column - 1},
                                "end": {"line": line, "character": column}}, "text": ""}
            lines[line] = lines[line][:-1]
        if args.full_sync:
            change = {"text": "\n".join(lines)}
        version += 1
        start = time.perf_counter()
        server.send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                     "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
        server.wait_for(published(version))
        samples.append((time.perf_counter() - start) * 1000)

    cpu_per_edit_ms = (cpu_seconds(server.proc.pid) - cpu_start) * 1000 / len(samples)
    server.send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    server.wait_for(lambda m: m.get("id") == 2)
    server.send({"jsonrpc": "2.0", "method": "exit"})
    server.proc.wait(timeout=10)
    os.rmdir(workdir)  # the server only needed it as a root; nothing was written there

    samples.sort()
    mode = "full-text" if args.full_sync else "incremental"
    print(f"file: {args.file or 'generated'}, {len(lines) - 1} lines, {len(text.encode())} bytes, "
          f"{len(first['params']['diagnostics'])} findings")
    print(f"didOpen -> publishDiagnostics: {open_ms:.2f} ms")
    print(f"didChange ({mode}, debounce {args.debounce_ms} ms) -> publishDiagnostics over {len(samples)} edits:")
    print(f"  median {statistics.median(samples):.2f} ms   p90 {samples[int(len(samples) * 0.9)]:.2f} ms   "
          f"min {samples[0]:.2f} ms   max {samples[-1]:.2f} ms")
    print(f"  server CPU time per edit: {cpu_per_edit_ms:.2f} ms (wall time above includes waiting for a busy machine)")


if __name__ == "__main__":
    sys.exit(main())
