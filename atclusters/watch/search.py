"""Words a user searches the items with, as each database's full-text query (docs/watch.md,
"Search"). PostgreSQL reads them itself (`websearch_to_tsquery`: words, "phrases", -word, or);
SQLite's FTS5 index (the `watch_item_fts` table, migration 0006) is given this module's
translation: every word or phrase quoted (FTS5's operators and column filters in the user's
text are so taken as words), each word a prefix, so that "envase" finds "envases" and
"sensor" "sensores" in any language without a stemmer; the terms are all required, and
-word or -"phrase" excludes. No Django here."""

import re

MAX_TERMS = 8
TERM = re.compile(r'(-?)(?:"([^"]*)"|(\S+))')
WORD = re.compile(r"\w+", re.UNICODE)

# The PostgreSQL text search configuration of each platform language; Galician has none of
# its own and is stemmed as Portuguese (as cooperation.text does).
POSTGRES_CONFIGS = {
    "en": "english",
    "es": "spanish",
    "gl": "portuguese",
    "pt": "portuguese",
    "fr": "french",
}


def fts5_query(text: str) -> str:
    """The FTS5 MATCH expression for the user's words; "" when there is nothing to look for."""
    wanted: list[str] = []
    unwanted: list[str] = []
    for minus, phrase, word in TERM.findall(text):
        words = WORD.findall(phrase or word)
        if not words:
            continue
        # Inside double quotes FTS5 reads a string, never an operator; the last word of a
        # phrase or a lone word is a prefix.
        term = '"' + " ".join(words) + '"*'
        (unwanted if minus else wanted).append(term)
    if not wanted:
        return ""
    query = " AND ".join(wanted[:MAX_TERMS])
    return " NOT ".join([f"({query})", *unwanted[:MAX_TERMS]]) if unwanted else query
