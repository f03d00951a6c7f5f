"""The two APIs: URL namespace and path prefix of each, defined once.

Routing mounts each namespace at its prefix; the error style, CORS, the browser middleware,
the progress streams' dispatch and the OpenAPI schema all tell the APIs apart from here.
"""

LATENTGEO = "latentgeo"
GEOG = "geog"
LATENTGEO_PREFIX = "/api/v1/"
GEOG_PREFIX = "/v1/"
API_PREFIXES = ((LATENTGEO_PREFIX, LATENTGEO), (GEOG_PREFIX, GEOG))
