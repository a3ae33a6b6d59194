"""Written by ``memlint verify`` into its temporary directory, which it puts first on PYTHONPATH.

Python imports ``sitecustomize`` at start-up, so this is how the runtime helper gets into the
user's process without any change to the user's files. It then runs the ``sitecustomize`` this
file shadows (the distribution's or a virtualenv's), if there is one, so the environment the
program sees is otherwise the one it always has.
"""

import os
import sys


def _memlint_verify_start():
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        import memlint_verify_runtime

        memlint_verify_runtime.install()
    except Exception as exc:  # never stop the user's program from starting
        sys.stderr.write("memlint verify: the runtime helper did not start: %r\n" % (exc,))

    import importlib.machinery
    import importlib.util

    others = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", others)
    if spec is not None and spec.loader is not None:
        shadowed = importlib.util.module_from_spec(spec)
        sys.modules["sitecustomize"] = shadowed
        spec.loader.exec_module(shadowed)


_memlint_verify_start()
del _memlint_verify_start
