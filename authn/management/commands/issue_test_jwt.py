from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from authn.internal_tokens import internal_token_issue


class Command(BaseCommand):
    help = "Print an internal HS256 LatentGEO access token (accepted with ALLOW_INTERNAL_TEST_JWT)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--sub", required=True, help="subject, e.g. auth0|dev")
        parser.add_argument("--email", default=None, help="email claim used for ownership")
        parser.add_argument(
            "--email-verified",
            action="store_true",
            help="mark the email verified, so it grants ownership of rows owned by that email",
        )
        parser.add_argument("--expires-in", type=int, default=3600, help="lifetime in seconds")

    def handle(
        self,
        *args,
        sub: str,
        email: str | None,
        email_verified: bool,
        expires_in: int,
        **options,
    ) -> None:
        if not settings.ALLOW_INTERNAL_TEST_JWT:
            raise CommandError(
                "ALLOW_INTERNAL_TEST_JWT is off: the service would reject the token."
            )
        if expires_in <= 0:
            raise CommandError("--expires-in must be a positive number of seconds.")
        self.stdout.write(
            internal_token_issue(
                sub=sub, email=email, email_verified=email_verified, expires_in=expires_in
            )
        )
