from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """Pages and the API root that assemble many apps: My work, a hub's page, a group's page and
    history, oversight at a glance. Above every domain app, so none of them imports another up."""

    name = "workspace"
    verbose_name = "Workspace"

    def ready(self) -> None:
        # The header's notifications badge, a hole every cached page fills in when served,
        # even in a process that has rendered no page yet.
        from . import context_processors  # noqa: F401
