"""Money and counts as people read and type them, in the NHS digital service manual's style
(service-manual.nhs.uk/content/numbers-measurements-dates-time: commas in numbers over 999):
"£250,000", "1,250". Issue 18, finding 8.

`money` and `number` take an int, a Decimal, a float or a numeric string (frozen JSON content
keeps its amounts as strings) and return "" for None or ""; text that is not a number comes
back as it is. `parse_money` reads what people type into a money box: "250000", "250,000",
"£250,000" or "£ 250,000.00".
"""

import re
from decimal import Decimal, InvalidOperation

# A typed amount: an optional minus and pound sign, digits in thousands groups or none, pence.
_TYPED_MONEY = re.compile(r"-?£?-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")
_SPACES = re.compile(r"\s+")
_NO_PENCE = re.compile(r"\.0+$")


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


def number(value) -> str:
    """ "1,250"; "1,250.5" keeps its fraction as given."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount:,}"


def money(value) -> str:
    """ "£250,000"; pence only when there are any ("£12.50"); "-£1,000" for a negative sum."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    sign, amount = ("-" if amount < 0 else ""), abs(amount)
    if amount == amount.to_integral_value():
        return f"{sign}£{int(amount):,}"
    return f"{sign}£{amount.quantize(Decimal('0.01')):,}"


def parse_money(text: str) -> str:
    """What a person typed as an amount, without its pound sign, spaces and thousands commas
    ("£250,000" → "250000"), for a DecimalField to read. Anything else ("2,50", "£25k") comes
    back as typed, for the field to refuse."""
    compact = _SPACES.sub("", text or "")
    if _TYPED_MONEY.fullmatch(compact):
        amount = compact.replace("£", "").replace(",", "")
        return _NO_PENCE.sub("", amount)  # "250000.00" is whole pounds
    return (text or "").strip()
