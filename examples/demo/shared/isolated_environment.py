import os


class IsolatedEnvironment:
    def get(self, key: str) -> str | None:
        return os.environ.get(key)


def audit_environment() -> dict:
    from netra_backend.app.core.audit import audit_log  # shared must not import a service
    return audit_log("environment read")
