"""entry types: a pilot, a best practice or a challenge, one wiki machinery

Every existing entry is a pilot.

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


def upgrade():
    with op.batch_alter_table("pilots") as batch:
        batch.add_column(sa.Column("entry_type", sa.String(length=20), server_default="pilot", nullable=False))
        batch.create_index("ix_pilots_entry_type", ["entry_type"])
        batch.create_check_constraint(
            op.f("ck_pilots_entry_type"), "entry_type IN ('pilot', 'best_practice', 'challenge')"
        )


def downgrade():
    with op.batch_alter_table("pilots") as batch:
        batch.drop_constraint(op.f("ck_pilots_entry_type"), type_="check")
        batch.drop_index("ix_pilots_entry_type")
        batch.drop_column("entry_type")
