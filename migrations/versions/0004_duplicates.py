"""duplicates: "geen dubbel" marks and "dubbel van" links with merges

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('duplicate_dismissals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_low_id', sa.Integer(), nullable=False),
    sa.Column('pilot_high_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('pilot_low_id < pilot_high_id', name=op.f('ck_duplicate_dismissals_ordered')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_duplicate_dismissals_created_by_id_users')),
    sa.ForeignKeyConstraint(['pilot_high_id'], ['pilots.id'], name=op.f('fk_duplicate_dismissals_pilot_high_id_pilots')),
    sa.ForeignKeyConstraint(['pilot_low_id'], ['pilots.id'], name=op.f('fk_duplicate_dismissals_pilot_low_id_pilots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_dismissals')),
    sa.UniqueConstraint('pilot_low_id', 'pilot_high_id', name='uq_duplicate_dismissals_pair')
    )
    with op.batch_alter_table('duplicate_dismissals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duplicate_dismissals_pilot_high_id'), ['pilot_high_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duplicate_dismissals_pilot_low_id'), ['pilot_low_id'], unique=False)

    with op.batch_alter_table('pilots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('merged_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('merged_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_pilots_duplicate_of_id'), ['duplicate_of_id'], unique=False)
        batch_op.create_foreign_key('fk_pilots_duplicate_of_id_pilots', 'pilots', ['duplicate_of_id'], ['id'])
        batch_op.create_foreign_key('fk_pilots_merged_by_id_users', 'users', ['merged_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('pilots', schema=None) as batch_op:
        batch_op.drop_constraint('fk_pilots_merged_by_id_users', type_='foreignkey')
        batch_op.drop_constraint('fk_pilots_duplicate_of_id_pilots', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_pilots_duplicate_of_id'))
        batch_op.drop_column('merged_by_id')
        batch_op.drop_column('merged_at')
        batch_op.drop_column('duplicate_of_id')

    with op.batch_alter_table('duplicate_dismissals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duplicate_dismissals_pilot_low_id'))
        batch_op.drop_index(batch_op.f('ix_duplicate_dismissals_pilot_high_id'))

    op.drop_table('duplicate_dismissals')
