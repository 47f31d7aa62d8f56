"""The canonical home of AgentRegistry."""


class AgentRegistry:
    def register(self, name: str) -> None:
        self.name = name
