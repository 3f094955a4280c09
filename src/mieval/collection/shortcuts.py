"""The campaign a page's URL names: a view helper of every app's pages (``lib`` imports no
domain app, so it lives here, beside the model)."""

from django.shortcuts import get_object_or_404

from mieval.collection.models import Campaign


def campaign_or_404(code: str) -> Campaign:
    """The campaign a URL names, with its framework and programme; 404 for an unknown code."""
    return get_object_or_404(Campaign.objects.select_related("framework", "programme"), code=code)
