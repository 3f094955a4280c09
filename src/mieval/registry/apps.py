from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "mieval.registry"
    label = "registry"
