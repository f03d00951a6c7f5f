from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Organization
from accounts.selectors import organization_find
from accounts.services import api_token_create, organization_create


class Command(BaseCommand):
    help = "Create a long-lived Geog token (and its organization if needed); prints the token."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organization slug")
        parser.add_argument("--name", required=True, help="token name")
        parser.add_argument("--scopes", required=True, help='e.g. "tiles:read places:read"')
        parser.add_argument("--expires-in-days", type=int, default=None)
        parser.add_argument(
            "--tier",
            choices=Organization.Tier.values,
            default=Organization.Tier.FREE,
            help="tier of the organization when it is created here",
        )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                organization = organization_find(slug=options["org"]) or organization_create(
                    slug=options["org"], tier=options["tier"]
                )
                _api_token, jwt_value = api_token_create(
                    organization=organization,
                    name=options["name"],
                    scopes=options["scopes"].split(),
                    expires_in_days=options["expires_in_days"],
                )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(jwt_value)
