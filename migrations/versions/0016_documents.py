"""documents on any entry: a document of a kind and its versions (files under DATA_DIR/attachments/)

Revision ID: 0016documents
Revises: 0015calls
Create Date: 2026-12-07 02:35:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0016documents"
down_revision = "0015calls"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_attachments_created_by_id_users")),
        sa.ForeignKeyConstraint(["deleted_by_id"], ["users.id"], name=op.f("fk_attachments_deleted_by_id_users")),
        sa.ForeignKeyConstraint(["pilot_id"], ["pilots.id"], name=op.f("fk_attachments_pilot_id_pilots")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachments_pilot_id"), ["pilot_id"], unique=False)
    op.create_table(
        "attachment_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("original_name", sa.String(length=160), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"], ["attachments.id"], name=op.f("fk_attachment_versions_attachment_id_attachments")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_attachment_versions_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment_versions")),
        sa.UniqueConstraint("attachment_id", "number", name="uq_attachment_versions_number"),
        sa.UniqueConstraint("stored_name", name=op.f("uq_attachment_versions_stored_name")),
    )
    with op.batch_alter_table("attachment_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_versions_attachment_id"), ["attachment_id"], unique=False)


def downgrade():
    with op.batch_alter_table("attachment_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_versions_attachment_id"))
    op.drop_table("attachment_versions")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachments_pilot_id"))
    op.drop_table("attachments")
