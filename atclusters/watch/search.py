"""Words a user searches the items with, as each database's full-text query (docs/watch.md,
"Search"). PostgreSQL reads them itself (`websearch_to_tsquery`: words, "phrases", -word, or)
against one GIN index per text search configuration (migration 0007): this module writes the
indexed expressions and the condition that uses them. SQLite's FTS5 index (the `watch_item_fts` table, migration 0006) is given this module's
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


# The configurations with an index each ("simple": the items of none of the five languages).
POSTGRES_INDEXED = (*dict.fromkeys(POSTGRES_CONFIGS.values()), "simple")


def _column(table: str, name: str) -> str:
    return f'"{table}".{name}' if table else name


def postgres_predicate(config: str, table: str = "") -> str:
    """The items the configuration's index holds. The search condition repeats it literally,
    so that PostgreSQL's planner proves each arm of the OR implies its partial index's
    predicate and scans that index."""
    language = _column(table, "language")
    if config == "simple":
        return f"{language} NOT IN ({', '.join(repr(code) for code in POSTGRES_CONFIGS)})"
    codes = [code for code, name in POSTGRES_CONFIGS.items() if name == config]
    return f"{language} IN ({', '.join(repr(code) for code in codes)})"


def postgres_vector(config: str, table: str = "") -> str:
    """The item's title and summary as a tsvector of `config`: the expression indexed (table
    "") and searched (the query's table name), the same but for the table's name."""
    title, summary = _column(table, "title"), _column(table, "summary")
    return f"to_tsvector('{config}'::regconfig, {title} || ' ' || {summary})"


def postgres_index_sql(config: str) -> str:
    return (
        f"CREATE INDEX IF NOT EXISTS watch_item_fts_{config} ON watch_item USING gin "
        f"(({postgres_vector(config)})) WHERE {postgres_predicate(config)}"
    )


def postgres_condition(table: str) -> tuple[str, int]:
    """The SQL condition "the item has the words" and its number of parameters (each the
    user's text): per configuration, the item is of its languages and its vector matches the
    words stemmed the same way."""
    arms = [
        f"({postgres_predicate(config, table)} AND {postgres_vector(config, table)} "
        f"@@ websearch_to_tsquery('{config}'::regconfig, %s))"
        for config in POSTGRES_INDEXED
    ]
    return "(" + " OR ".join(arms) + ")", len(arms)


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
