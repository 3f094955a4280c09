"""Tests of :mod:`mieval.core`, without Django."""
