"""CYC005 object-stored-in-itself: corpus.

Flagged: ``self`` stored into one of its own attributes or containers --
``self.members = [self]``, ``self.scopes[self.name] = self``,
``self.flattened.append(self)``, ``self.root = self``, a template context
``{"view": self, ...}`` kept on the view.  The object references itself, a
cycle of one that only the cyclic collector frees.

Deliberately NOT flagged here:
- weak containers (``weakref.WeakSet``) and weak self-references
  (``weakref.ref(self)``);
- containers that the class empties on teardown (``close()`` clears them);
- values *derived* from self that do not reference it: ``id(self)``,
  ``repr(self)``, ``type(self).__name__``, ``copy.copy(self)``;
- self added to *another* object's container (``group.members.append(self)``
  with ``group`` an argument that self does not keep);
- a list of the other peers (``[p for p in peers if p is not self]``).

``Account.owner`` stores ``self`` through a conditional expression
(``owner if owner is not None else self``): a cycle whenever no owner is
given, annotated as one.
"""

import copy
import weakref


# --------------------------------------------------------------------------
# Groups, scopes and composite trees


class Group:
    def __init__(self, name):
        self.name = name
        self.members = [self]  # expect: CYC005

    def all_members(self):
        return list(self.members)


class Scope:
    """A symbol table that registers itself under its own name."""

    def __init__(self, name, parent=None):
        self.name = name
        self.parent_name = parent.name if parent is not None else None
        self.symbols = {}
        self.scopes = {}
        self.scopes[self.name] = self  # expect: CYC005

    def define(self, symbol, value):
        self.symbols[symbol] = value


class MenuItem:
    """Composite: flatten() includes the item itself."""

    def __init__(self, label, children=()):
        self.label = label
        self.children = list(children)
        self.flattened = []

    def flatten(self):
        self.flattened = []
        self.flattened.append(self)  # expect: CYC005
        for child in self.children:
            self.flattened.extend(child.flatten())
        return self.flattened


class TreeNode:
    """The root node is its own root."""

    def __init__(self, value, parent=None):
        self.value = value
        if parent is None:
            self.root = self  # expect: CYC005
        else:
            self.root = parent.root


class Account:
    def __init__(self, number, owner=None):
        self.number = number
        self.owner = owner if owner is not None else self  # expect: CYC005


# --------------------------------------------------------------------------
# Views and template contexts


class DetailView:
    template = "detail.html"

    def __init__(self, request, obj):
        self.request = request
        self.object = obj
        self.context = {"view": self, "object": obj}  # expect: CYC005

    def render(self):
        return self.template, self.context


class ListView:
    """Builds the context on demand instead of keeping it."""

    template = "list.html"

    def __init__(self, request, objects):
        self.request = request
        self.objects = objects

    def get_context(self):
        return {"view": self, "objects": self.objects}


# --------------------------------------------------------------------------
# Peers in a cluster


class Peer:
    """Knows every peer of the cluster, itself included, through a WeakSet."""

    def __init__(self, address):
        self.address = address
        self.cluster = weakref.WeakSet()
        self.cluster.add(self)
        self._self_ref = weakref.ref(self)


class GossipNode:
    """Its own membership view includes itself, and so does its routing table."""

    def __init__(self, address):
        self.address = address
        self.members = set()
        self.members.add(self)  # expect: CYC005
        self.routes = {}
        self.routes.update({address: self})  # expect: CYC005


class Replica:
    """Keeps only the *other* replicas."""

    def __init__(self, address, replicas):
        self.address = address
        self.others = [r for r in replicas if r is not self]


class Worker:
    """Joins a pool that it does not keep."""

    def __init__(self, pool):
        self.pool_size = len(pool.members)
        pool.members.append(self)


class Pool:
    def __init__(self):
        self.members = []


class Channel:
    """Subscribes itself to its own listener list, and close() empties it."""

    def __init__(self, name):
        self.name = name
        self.listeners = []
        self.listeners.append(self)

    def notify(self, message):
        return self.name, message

    def close(self):
        self.listeners.clear()


# --------------------------------------------------------------------------
# Values derived from self


class Snapshot:
    def __init__(self, data):
        self.data = dict(data)
        self.ident = id(self)
        self.label = repr(self)
        self.kind = type(self).__name__
        self.previous = copy.copy(self)
