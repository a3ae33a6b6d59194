from .models import Address


class DebugAddress(Address):
    def dump(self):
        return vars(self)
