from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError, CommandParser

from welfare.accounts.actions import do_create_user, do_grant_membership
from welfare.accounts.models import Role, User
from welfare.portal.scopes import SCOPE_KEYS, find_scope


class Command(BaseCommand):
    help = "Give a user a staff role bound to its place. With --create, create the account first."

    def add_arguments(self, parser: CommandParser) -> None:
        keys = "; ".join(f"{role.value}: {description}" for role, (_m, _f, description) in SCOPE_KEYS.items())
        parser.add_argument("email")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("scope", help=f"the place, by its key ({keys})")
        parser.add_argument("--create", action="store_true", help="create the account if it does not exist")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        role = Role(options["role"])
        _model, _field, description = SCOPE_KEYS[role]
        try:
            scope = find_scope(role, options["scope"])
        except ObjectDoesNotExist as error:
            raise CommandError(f"No {description} {options['scope']!r}.") from error
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            if not options["create"]:
                raise CommandError("No account with this email: add --create to create it.")
            # No password: the person sets one with "Forgot password?" on the login page.
            user = do_create_user(
                options["email"], actor=None, first_name=options["first_name"], last_name=options["last_name"]
            )
            self.stdout.write("Account created: the person sets a password with 'Forgot password?'.")
        do_grant_membership(user, role, scope, actor=None)
        self.stdout.write(f"{role.label}: {scope}.")
