from tests.links.scenario import places  # noqa: F401  (the shared fixture)
