"""calendar links: secret, revocable feed URLs of the portfolio meetings for VNG staff

Revision ID: 0009activity
Revises: 0009comments
Create Date: 2026-12-06 23:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009activity'
down_revision = "0009comments"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_links_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_links_token_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_links_user_id'))
    )


def downgrade():
    op.drop_table('calendar_links')
