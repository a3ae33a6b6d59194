class Feature:
    """A map feature; subclasses add geometry."""

    def describe(self):
        return type(self).__name__
