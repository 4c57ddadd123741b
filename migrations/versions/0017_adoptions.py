"""adoptions: "wij nemen dit over" — organisations reusing a scaled-up pilot or a best practice, with stages

Revision ID: 0017adoptions
Revises: 0016documents
Create Date: 2026-12-07 02:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0017adoptions"
down_revision = "0016documents"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "adoptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("contact_name", sa.String(length=120), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("declared_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("stage IN ('gepland', 'in_uitvoering', 'in_gebruik')", name=op.f("ck_adoptions_stage")),
        sa.ForeignKeyConstraint(["declared_by_id"], ["users.id"], name=op.f("fk_adoptions_declared_by_id_users")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_adoptions_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["pilot_id"], ["pilots.id"], name=op.f("fk_adoptions_pilot_id_pilots")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adoptions")),
        sa.UniqueConstraint("pilot_id", "organisation_id", name="uq_adoptions_pilot_organisation"),
    )
    with op.batch_alter_table("adoptions") as batch:
        batch.create_index(batch.f("ix_adoptions_created_at"), ["created_at"], unique=False)
        batch.create_index(batch.f("ix_adoptions_organisation_id"), ["organisation_id"], unique=False)
        batch.create_index(batch.f("ix_adoptions_pilot_id"), ["pilot_id"], unique=False)
        batch.create_index(batch.f("ix_adoptions_stage"), ["stage"], unique=False)
    op.create_table(
        "adoption_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("adoption_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_adoption_steps_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["adoption_id"], ["adoptions.id"], name=op.f("fk_adoption_steps_adoption_id_adoptions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adoption_steps")),
    )
    with op.batch_alter_table("adoption_steps") as batch:
        batch.create_index(batch.f("ix_adoption_steps_adoption_id"), ["adoption_id"], unique=False)
        batch.create_index(batch.f("ix_adoption_steps_created_at"), ["created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("adoption_steps") as batch:
        batch.drop_index(batch.f("ix_adoption_steps_created_at"))
        batch.drop_index(batch.f("ix_adoption_steps_adoption_id"))
    op.drop_table("adoption_steps")
    with op.batch_alter_table("adoptions") as batch:
        batch.drop_index(batch.f("ix_adoptions_stage"))
        batch.drop_index(batch.f("ix_adoptions_pilot_id"))
        batch.drop_index(batch.f("ix_adoptions_organisation_id"))
        batch.drop_index(batch.f("ix_adoptions_created_at"))
    op.drop_table("adoptions")
