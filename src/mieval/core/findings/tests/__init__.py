"""Tests of :mod:`mieval.core.findings`, without Django."""
