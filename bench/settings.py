"""The product settings with the benchmark's URL configuration (adds the baseline view)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
