"""Tests of :mod:`mieval.core.matching`, without Django."""
