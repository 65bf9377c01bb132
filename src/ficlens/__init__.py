"""ficlens: read fan fiction the way a literary scholar would, at the scale of a whole archive."""

__version__ = "0.1.0"
