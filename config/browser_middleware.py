"""Session, CSRF, user, message and login-lockout middleware for every path but the Geog API's.

The Geog API (`/v1/`) authenticates a bearer token on every request (DRF sets the request's
user) and has no session, CSRF cookie or message; its views are CSRF-exempt. These four
would only cost its hot tile path time: about a tenth of the service's tile requests/s,
measured with `make bench`. The admin, the docs and the LatentGEO API keep them all.
"""

from axes import middleware as axes
from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from django.middleware import csrf

from errors.apis import GEOG_PREFIX


class _OutsideGeogApi:
    def __call__(self, request):
        if request.path_info.startswith(GEOG_PREFIX):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(_OutsideGeogApi, sessions.SessionMiddleware):
    pass


class CsrfViewMiddleware(_OutsideGeogApi, csrf.CsrfViewMiddleware):
    def process_view(self, request, callback, callback_args, callback_kwargs):
        if request.path_info.startswith(GEOG_PREFIX):
            return None
        return super().process_view(request, callback, callback_args, callback_kwargs)


class AuthenticationMiddleware(_OutsideGeogApi, auth.AuthenticationMiddleware):
    pass


class MessageMiddleware(_OutsideGeogApi, messages.MessageMiddleware):
    pass


class AxesMiddleware(_OutsideGeogApi, axes.AxesMiddleware):
    """Answers a locked-out admin login (django-axes) with its lockout page."""
