"""Unit of work: pending changes of a session."""


class UnitOfWork:
    def __init__(self, session):
        self.session = session  # expect: CYC001
        self.new = []
        self.dirty = []

    def register_new(self, obj):
        self.new.append(obj)

    def commit(self):
        self.new = []
        self.dirty = []
