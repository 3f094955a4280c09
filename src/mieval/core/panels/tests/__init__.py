"""Tests of :mod:`mieval.core.panels`, without Django."""
