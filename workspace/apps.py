from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """Pages and the API root that assemble many apps: My work, a hub's page, a group's page and
    history, oversight at a glance. Above every domain app, so none of them imports another up."""

    name = "workspace"
    verbose_name = "Workspace"
