"""Words a user searches the items with, as each database's full-text query (docs/watch.md,
"Search"). PostgreSQL reads them itself (`websearch_to_tsquery`: words, "phrases", -word, or)
against a GIN index of each item's words in its language's text search configuration
(migration 0007): this module writes the indexed expression and the condition that uses it.
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


# The configuration of an item of none of the five languages: its words as they are.
POSTGRES_OTHER = "simple"
POSTGRES_INDEX = "watch_item_fts"
POSTGRES_TABLE = "watch_item"
# The memory a candidates' bitmap may take (an exact bitmap of 1,000,000 items' pages).
POSTGRES_PROBE_MEMORY = "32MB"


def _column(table: str, name: str) -> str:
    return f'"{table}".{name}' if table else name


def postgres_config(table: str = "") -> str:
    """The item's configuration, from its language."""
    whens = " ".join(
        f"WHEN '{code}' THEN '{config}'::regconfig" for code, config in POSTGRES_CONFIGS.items()
    )
    return f"CASE {_column(table, 'language')} {whens} ELSE '{POSTGRES_OTHER}'::regconfig END"


def postgres_vector(table: str = "") -> str:
    """The item's title and summary as a tsvector in its language's configuration: the
    expression indexed (table "") and searched (the query's table name), the same but for
    the table's name, so that PostgreSQL matches the one to the other."""
    title, summary = _column(table, "title"), _column(table, "summary")
    return f"to_tsvector({postgres_config(table)}, {title} || ' ' || {summary})"


def postgres_index_sql() -> str:
    # One index over every item (not one partial index per configuration): the planner keeps
    # statistics of a whole-table expression index only, and without them it cannot tell a
    # common word (walk the newest items, stop at a page) from a rare one (read the index).
    return (
        f"CREATE INDEX IF NOT EXISTS {POSTGRES_INDEX} ON watch_item USING gin "
        f"(({postgres_vector()}))"
    )


def _arms(table: str) -> list[str]:
    """Per configuration: the item is of its languages and its vector matches the user's words
    (a parameter) stemmed the same way."""
    language = _column(table, "language")
    groups: dict[str, list[str]] = {}
    for code, config in POSTGRES_CONFIGS.items():
        groups.setdefault(config, []).append(f"'{code}'")
    known = ", ".join(f"'{code}'" for code in POSTGRES_CONFIGS)
    which = {config: f"{language} IN ({', '.join(codes)})" for config, codes in groups.items()}
    which[POSTGRES_OTHER] = f"{language} NOT IN ({known})"
    return [
        f"{condition} AND {postgres_vector(table)} "
        f"@@ websearch_to_tsquery('{config}'::regconfig, %s)"
        for config, condition in which.items()
    ]


def postgres_condition(table: str) -> tuple[str, int]:
    """The SQL condition "the item has the words" and its number of parameters (each the
    user's text), one arm per configuration (each a scan of the one index)."""
    arms = _arms(table)
    return "(" + " OR ".join(f"({arm})" for arm in arms) + ")", len(arms)


def postgres_candidates_sql() -> tuple[str, int]:
    """The ids of the items that have the words, at most as many as the last parameter, read
    from the index: one SELECT per configuration, so that each arm's vector is matched by the
    index alone (in an OR of arms every row read would be matched again, its vector computed
    anew), and its number of parameters before the limit."""
    arms = _arms(POSTGRES_TABLE)
    # Only this module's constants go into the text; the user's words are parameters.
    select = f"SELECT id FROM {POSTGRES_TABLE} WHERE "  # noqa: S608
    union = " UNION ALL ".join(select + arm for arm in arms)
    return f"{union} LIMIT %s", len(arms)


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
