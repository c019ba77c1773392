from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "vigie.reviews"
    label = "reviews"
    verbose_name = "Bilans des plans"
