"""Money is integer euro cents, everywhere. These helpers convert and split without floats."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


def euros_to_cents(euros: Decimal) -> int:
    """Decimal("12.345") → 1235 (half up, as the forms accept at most two decimals anyway)."""
    return int((euros * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cents_to_euros(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def format_euros(cents: int) -> str:
    """12345 → "123,45 €" (Italian format whatever the language: the currency is the euro in Italy)."""
    sign = "-" if int(cents) < 0 else ""
    whole, part = divmod(abs(int(cents)), 100)
    return sign + f"{whole:,}".replace(",", ".") + f",{part:02d} €"


def percent_of(cents: int, percent: int) -> int:
    """`percent`% of an amount, rounded half up to the cent."""
    return (cents * percent * 2 + 100) // 200


@dataclass(frozen=True)
class Breakdown:
    """Who pays what of one amount: the voucher its share, the family the co-payment."""

    total_cents: int
    copay_percent: int
    voucher_cents: int
    copayment_cents: int


def split_copayment(total_cents: int, copay_percent: int) -> Breakdown:
    """The co-payment is rounded to the cent and the voucher pays the rest, so the parts always add up."""
    copayment = percent_of(total_cents, copay_percent)
    return Breakdown(total_cents, copay_percent, total_cents - copayment, copayment)


@dataclass(frozen=True)
class Shares:
    """Who pays what of one amount when up to three payers share it, to the cent: they always add up."""

    total_cents: int
    voucher_cents: int
    employer_cents: int
    family_cents: int


def split_three(
    total_cents: int, *, copay_percent: int | None = None, voucher_left: int | None = None,
    credit_left: int | None = None,
) -> Shares:  # fmt: skip
    """The municipal voucher first (its share, as far as its balance goes), then the employer credit for what is
    left (the family's share), then the family. `copay_percent` None: no voucher (`voucher_left` None: its share
    whatever its balance); `credit_left` None: no employer credit."""
    voucher = 0
    if copay_percent is not None:
        voucher = split_copayment(total_cents, copay_percent).voucher_cents
        if voucher_left is not None:
            voucher = max(0, min(voucher, voucher_left))
    employer = 0
    if credit_left is not None:
        employer = max(0, min(total_cents - voucher, credit_left))
    return Shares(total_cents, voucher, employer, total_cents - voucher - employer)
