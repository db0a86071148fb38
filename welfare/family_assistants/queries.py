"""What helps a family pay for an assistant: the voucher programmes open in their municipality for home care, their
f-ter welfare credits (care of elderly or non-self-sufficient relatives), and the supports the district lists."""

from dataclasses import dataclass, field

from welfare.catalogue.models import TaxonomyTerm
from welfare.employers.access import wallets_of
from welfare.employers.models import Category, Wallet
from welfare.family_assistants.models import CaredFor, Guide, Need
from welfare.finder.engine import open_programmes_for
from welfare.vouchers.models import Programme

# The kinds of service a programme must pay for to help with each need.
KINDS_FOR_NEED = {
    CaredFor.ELDERLY: ["assistenti-familiari", "sad", "sadh", "sollievo", "domiciliarita"],
    CaredFor.DISABLED: ["assistenti-familiari", "sadh", "sollievo", "domiciliarita"],
    CaredFor.CHILD: ["babysitting", "sostegno-famiglia"],
    CaredFor.HOME: ["assistenti-familiari"],
}


@dataclass
class Supports:
    programmes: list[Programme] = field(default_factory=list)
    wallets: list[Wallet] = field(default_factory=list)
    district: list[Guide] = field(default_factory=list)


def supports_for(need: Need) -> Supports:
    kinds = set(TaxonomyTerm.objects.filter(code__in=KINDS_FOR_NEED[CaredFor(need.cared_for)]).values_list(
        "pk", flat=True))  # fmt: skip
    wallets = []
    if need.cared_for in (CaredFor.ELDERLY, CaredFor.DISABLED):
        wallets = [wallet for wallet in wallets_of(need.resident.user).filter(category=Category.F_TER)
                   if wallet.is_open and wallet.account.balance_cents > 0]  # fmt: skip
    return Supports(programmes=open_programmes_for(need.municipality, kinds), wallets=wallets,
                    district=list(Guide.objects.filter(section=Guide.Section.SUPPORT)))  # fmt: skip
