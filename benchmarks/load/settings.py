"""The production settings, plus one address: the bare view the project list is compared with.

Everything else -- DEBUG off, the middleware, the cache, sessions, CSP, HTTPS headers -- is
``welfare_net.settings.production`` unchanged, read from the environment the runner sets.
"""

from welfare_net.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.load.urls"
