"""The scenario projects are data, not tests: never collect or import them."""

collect_ignore_glob = ["scenarios/*"]
