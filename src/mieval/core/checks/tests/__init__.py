"""Tests of :mod:`mieval.core.checks`, without Django."""
