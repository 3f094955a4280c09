"""mieval: third-party evaluation of national MIE demonstration bases."""

__version__ = "0.1.0"
