"""change_log ids are never reused on SQLite (the search index bookmarks them)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 10:05:00

"""
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL sequences never hand out an id twice
    with op.batch_alter_table("change_log", recreate="always", table_kwargs={"sqlite_autoincrement": True}):
        pass


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("change_log", recreate="always", table_kwargs={"sqlite_autoincrement": False}):
        pass
