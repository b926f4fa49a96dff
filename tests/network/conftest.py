from tests.links.scenario import places  # noqa: F401  (the shared fixture)
from tests.network.scenario import web  # noqa: F401
