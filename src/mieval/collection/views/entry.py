"""Data entry pages for base officers (and analysts entering on a base's behalf)."""

urlpatterns: list = []
