from .. import helpers
