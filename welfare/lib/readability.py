"""The Gulpease index of Italian text (Lucisano and Piemontese, 1988): 89 + (300 × sentences − 10 × letters) / words.

Up to 80 is hard for someone with primary-school reading, up to 60 for middle school, up to 40 for secondary
school. A page's text is read as people see it: every line (a heading, a list item, a button, a label) ends a
sentence, like a full stop does.
"""

import re

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
SENTENCE_END = re.compile(r"[.!?;:]+(?:\s|$)|\n+")


def gulpease(text: str) -> float:
    words = WORD.findall(text)
    if not words:
        return 100.0
    letters = sum(len(word.replace("'", "")) for word in words)
    sentences = max(1, sum(1 for part in SENTENCE_END.split(text) if WORD.search(part)))
    return 89 + (300 * sentences - 10 * letters) / len(words)
