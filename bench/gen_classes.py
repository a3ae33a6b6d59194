#!/usr/bin/env python3
"""Generates a synthetic Python project for bench/growth: N classes spread over modules of one
package, wired to each other across modules the way real object models are, so the project-wide
phase (index of classes, reference graph, cycle search) has real work that grows with N.

    gen_classes.py OUTDIR N [--per-module K] [--seed S]

Writes OUTDIR/synth/__init__.py and OUTDIR/synth/mod_NNNNN.py, K classes per module (default 50).
Deterministic for a given N, K and seed. Every class gets:

- a base: `object`, a class earlier in the same module, or a class in an earlier module
  (imported with `from synth.mod_X import Y`), so inheritance chains cross modules;
- a parent/child pair of attribute stores across modules: `self.children` holds instances of a
  class in another module whose `__init__` stores `self.parent = parent` (a parent⇄child
  reference cycle); one pair in four uses `weakref.ref(parent)` (the mitigation, no cycle);
- a callback registry (`self.listeners.append(self.on_event)`: a bound method stored on self),
  every tenth class;
- ordinary code around it (a dataclass-like __init__, a property, a method with a loop and a
  comprehension) so per-file cost is that of real code, not of empty classes.

The edges are chosen so the reference graph has long paths and many strongly connected pieces
rather than one giant clique: a quadratic project phase shows up as time per class that grows
with N.
"""
import argparse
import os
import random


def module_name(m):
    return f"mod_{m:05d}"


def class_name(c):
    return f"Node{c:06d}"


def generate(outdir, n, per_module, seed):
    rng = random.Random(seed)
    modules = (n + per_module - 1) // per_module
    pkg = os.path.join(outdir, "synth")
    os.makedirs(pkg, exist_ok=True)
    with open(os.path.join(pkg, "__init__.py"), "w") as f:
        f.write(f'"""Synthetic project: {n} classes in {modules} modules."""\n')

    def module_of(c):
        return c // per_module

    # Child class of each class: in another module (an earlier one when possible, so imports
    # at module level cannot form import cycles that would be odd Python).
    for m in range(modules):
        first, last = m * per_module, min(n, (m + 1) * per_module)
        imports = {}  # module -> set of class names imported from it
        bodies = []
        for c in range(first, last):
            name = class_name(c)
            # Base class.
            r = rng.random()
            if r < 0.4 or c == 0:
                base = None
            elif r < 0.7 and c > first:
                base = class_name(rng.randrange(first, c))
            else:
                b = rng.randrange(0, max(1, first)) if first else rng.randrange(0, c)
                base = class_name(b)
                if module_of(b) != m:
                    imports.setdefault(module_of(b), set()).add(base)
            # Child class, in another module when there is one.
            if first > 0:
                child = rng.randrange(0, first)
            else:
                child = rng.randrange(0, n) if n > 1 else c
            child_name = class_name(child)
            child_local = module_of(child) == m
            weak = rng.random() < 0.25
            listeners = c % 10 == 0
            fields = [f"f{i}" for i in range(rng.randint(2, 5))]

            lines = []
            lines.append(f"class {name}({base}):" if base else f"class {name}:")
            lines.append(f'    """Synthetic class {c}: parent of {child_name}."""')
            lines.append("")
            params = ", ".join(f"{x}=None" for x in fields)
            lines.append(f"    def __init__(self, parent=None, {params}):")
            if base:
                lines.append("        super().__init__()")
            if weak:
                lines.append("        self.parent = weakref.ref(parent) if parent is not None else None")
            else:
                lines.append("        self.parent = parent")
            for x in fields:
                lines.append(f"        self.{x} = {x}")
            lines.append("        self.children = []")
            if listeners:
                lines.append("        self.listeners = []")
                lines.append("        self.listeners.append(self.on_event)")
            lines.append("")
            lines.append("    def add_child(self, **fields):")
            if child_local:
                lines.append(f"        child = {child_name}(self, **fields)")
            else:
                alias = f"_{child_name}"
                lines.append(f"        from synth.{module_name(module_of(child))} import {child_name} as {alias}")
                lines.append(f"        child = {alias}(self, **fields)")
            lines.append("        self.children.append(child)")
            lines.append("        return child")
            lines.append("")
            lines.append("    @property")
            lines.append("    def size(self):")
            lines.append("        return sum(c.size for c in self.children) + 1")
            lines.append("")
            lines.append("    def on_event(self, event):")
            lines.append("        seen = [c for c in self.children if c is not event]")
            lines.append("        total = 0")
            lines.append("        for item in seen:")
            lines.append(f"            total += len(getattr(item, {fields[0]!r}, None) or ())")
            lines.append("        return total")
            lines.append("")
            lines.append("")
            bodies.append("\n".join(lines))

        header = [f'"""Synthetic module {m} of {modules}."""', "import weakref", ""]
        for im in sorted(imports):
            header.append(f"from synth.{module_name(im)} import {', '.join(sorted(imports[im]))}")
        header += ["", ""]
        with open(os.path.join(pkg, module_name(m) + ".py"), "w") as f:
            f.write("\n".join(header))
            f.write("\n".join(bodies))
    return modules


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("n", type=int)
    ap.add_argument("--per-module", type=int, default=50)
    ap.add_argument("--seed", type=int, default=20261124)
    a = ap.parse_args()
    modules = generate(a.outdir, a.n, a.per_module, a.seed)
    print(f"{a.n} classes in {modules} modules under {os.path.join(a.outdir, 'synth')}")


if __name__ == "__main__":
    main()
