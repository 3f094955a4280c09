from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mieval.web"
    label = "web"
