import secrets

import factory

from aman.hashbanks import services
from aman.hashbanks.models import BankedHash, HashBank


class HashBankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HashBank

    name = factory.Sequence(lambda n: f"bank-{n}")
    kind = "own"
    category = "ncii"


def random_pdq() -> str:
    return secrets.token_hex(32)


def random_md5() -> str:
    return secrets.token_hex(16)


def flip_bits(value: str, count: int) -> str:
    """The hash with its lowest ``count`` bits flipped: exactly ``count`` bits away."""
    number = int(value, 16) ^ ((1 << count) - 1)
    return f"{number:064x}"


def add_hash(bank: HashBank, value: str | None = None, signal_type: str = "pdq", user=None) -> BankedHash:  # type: ignore[no-untyped-def]
    if value is None:
        value = random_pdq() if signal_type == "pdq" else random_md5()
    return services.hash_add(bank=bank, signal_type=signal_type, value=value, acting_user=user)
