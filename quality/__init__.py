"""Data quality of the landed raw tables: Great Expectations suites per source system.

Plain Python and GX (no Dagster here): ``rules`` says what each raw table must satisfy, ``suites``
lists those rules per source system, ``validate`` turns them into GX expectations and runs them on a
table read from DuckDB, ``results`` stores the outcomes in ``landing.dq_results``.
"""
