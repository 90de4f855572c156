from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"

    def ready(self) -> None:
        from reviews import library

        from .learning import shared_section

        # The learning library's page is the reviews app's, below this one: it asks and this
        # app answers, the way reviews answers priorities' assurance (priorities/assurance.py).
        library.register(shared_section)
