from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "mieval.collection"
    label = "collection"
