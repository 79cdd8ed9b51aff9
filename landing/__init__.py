"""Landing: source files in ``$OMNIOPS_HOME/landing/<source>/`` → DuckDB ``raw`` tables."""
