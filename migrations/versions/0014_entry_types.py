"""entry types: a pilot, a best practice or a challenge, one wiki machinery

Every existing entry is a pilot. The column is added in place (SQLite's ADD COLUMN takes a NOT NULL column with a
default): rebuilding the pilots table, as a batch operation would on SQLite, fails with foreign keys on once other
tables point at its rows. The check constraint is added where the database can add one to an existing table
(PostgreSQL); on SQLite the services' validation (services/entry_types.py) is the guard, as for statuses.

Revision ID: 0014entrytype
Revises: 0013consent
Create Date: 2026-12-07 02:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0014entrytype"
down_revision = "0013consent"
branch_labels = None
depends_on = None

CHECK = "entry_type IN ('pilot', 'best_practice', 'challenge')"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade():
    op.add_column("pilots", sa.Column("entry_type", sa.String(length=20), server_default="pilot", nullable=False))
    op.create_index("ix_pilots_entry_type", "pilots", ["entry_type"])
    if not _sqlite():
        op.create_check_constraint(op.f("ck_pilots_entry_type"), "pilots", CHECK)


def downgrade():
    op.drop_index("ix_pilots_entry_type", table_name="pilots")
    if _sqlite():
        with op.batch_alter_table("pilots") as batch:
            batch.drop_column("entry_type")
    else:
        op.drop_constraint(op.f("ck_pilots_entry_type"), "pilots", type_="check")
        op.drop_column("pilots", "entry_type")
