"""Text normalisation for catalogue search, the same on PostgreSQL and SQLite.

Both databases index and query the *normalised* text, so that the same query finds the same
services on both. Normalising means: lower case, accents removed, Italian stop words dropped,
and a light inflectional stemmer that removes the final vowel so that singular and plural,
masculine and feminine meet ("domiciliare" and "domiciliari", "educativa" and "educativo",
"anziano" and "anziani"). Snowball's Italian stemmer (PostgreSQL's `italian` configuration) does
not: it reduces "domiciliare" to "domicil" but "domiciliari" to "domiciliar".
"""

import re
import unicodedata

STOP_WORDS = frozenset(
    """a ad al alla alle allo agli ai anche che chi ci con da dai dal dalla dalle degli dei del della
    delle dello di e ed è gli i il in la le lo ma ne nei nel nella nelle non o per se si su sua suo
    sue sui sul sulla tra fra un una uno the of and for to""".split()  # noqa: SIM905
)
WORD = re.compile(r"\w+")
VOWELS = "aeiou"


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def stem(word: str) -> str:
    if len(word) <= 3 or word.isdigit():
        return word
    if word[-1] in VOWELS:
        word = word[:-1]
        if word.endswith(("ch", "gh")):  # scolastiche → scolastic, like scolastico
            word = word[:-1]
    return word


def normalised_word(word: str) -> str:
    """One word as names are compared: lower case, without accents (no stemming: names are exact)."""
    return strip_accents(word.lower())


def search_terms(text: str) -> list[str]:
    """The normalised terms of `text`, in order, stop words removed."""
    words = WORD.findall(strip_accents(text.lower()))
    return [stem(word) for word in words if word not in STOP_WORDS]


def search_document(*parts: str) -> str:
    return " ".join(term for part in parts if part for term in search_terms(part))
