from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "mieval.exchange"
    label = "exchange"
