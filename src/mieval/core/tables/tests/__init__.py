"""Tests of :mod:`mieval.core.tables`, without Django."""
