"""Tests of :mod:`mieval.core.trends`, without Django."""
