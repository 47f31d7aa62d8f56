import os


class IsolatedEnvironment:
    def get(self, key: str) -> str | None:
        return os.environ.get(key)
