"""Tests of :mod:`mieval.demo`, without Django."""
