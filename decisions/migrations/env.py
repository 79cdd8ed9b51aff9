"""Alembic environment: the connection comes from ``decisions.store.Store.upgrade`` (no alembic.ini)."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
