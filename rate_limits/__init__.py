"""Fixed-window rate limits counted in the shared cache, for every API of the service.

The mechanism only counts and decides; it knows no caller. The Geog organization limit
(`accounts.rate_limits`) and the LatentGEO per-user limit (`authn.user_rate_limits`) build on
it and raise their own API's error.
"""
