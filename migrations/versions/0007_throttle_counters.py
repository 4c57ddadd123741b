"""throttle counters (login back-off, rate limits); organisations.pending for self-registered ones

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 18:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('throttle_counters',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.Column('blocked_until', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'key', name=op.f('pk_throttle_counters'))
    )
    with op.batch_alter_table('throttle_counters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_throttle_counters_expires_at'), ['expires_at'], unique=False)

    # Plain ADD COLUMN (no batch copy of a table other tables point to); existing organisations are public.
    op.add_column('organisations', sa.Column('pending', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    op.drop_column('organisations', 'pending')

    with op.batch_alter_table('throttle_counters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_throttle_counters_expires_at'))

    op.drop_table('throttle_counters')
