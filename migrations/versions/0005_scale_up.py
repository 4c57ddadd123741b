"""scale-up routing: reviews, portfolio meetings and the route's steps

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('portfolio_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_portfolio_meetings_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portfolio_meetings'))
    )
    with op.batch_alter_table('portfolio_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portfolio_meetings_date'), ['date'], unique=False)

    op.create_table('scale_up_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('nominated_by_id', sa.Integer(), nullable=True),
    sa.Column('nominated_at', sa.DateTime(), nullable=True),
    sa.Column('motivation', sa.Text(), nullable=False),
    sa.Column('reuse', sa.Text(), nullable=False),
    sa.Column('costs', sa.Text(), nullable=False),
    sa.Column('flagged_by_id', sa.Integer(), nullable=True),
    sa.Column('flagged_at', sa.DateTime(), nullable=True),
    sa.Column('flag_motivation', sa.Text(), nullable=False),
    sa.Column('questions', sa.Text(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('agenda_position', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=20), nullable=True),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('follow_up', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_scale_up_reviews_decided_by_id_users')),
    sa.ForeignKeyConstraint(['flagged_by_id'], ['users.id'], name=op.f('fk_scale_up_reviews_flagged_by_id_users')),
    sa.ForeignKeyConstraint(['meeting_id'], ['portfolio_meetings.id'], name=op.f('fk_scale_up_reviews_meeting_id_portfolio_meetings')),
    sa.ForeignKeyConstraint(['nominated_by_id'], ['users.id'], name=op.f('fk_scale_up_reviews_nominated_by_id_users')),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_scale_up_reviews_pilot_id_pilots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scale_up_reviews'))
    )
    with op.batch_alter_table('scale_up_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scale_up_reviews_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scale_up_reviews_nominated_at'), ['nominated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_scale_up_reviews_pilot_id'), ['pilot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scale_up_reviews_state'), ['state'], unique=False)

    op.create_table('scale_up_transitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('from_state', sa.String(length=20), nullable=False),
    sa.Column('to_state', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_scale_up_transitions_actor_id_users')),
    sa.ForeignKeyConstraint(['meeting_id'], ['portfolio_meetings.id'], name=op.f('fk_scale_up_transitions_meeting_id_portfolio_meetings')),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_scale_up_transitions_pilot_id_pilots')),
    sa.ForeignKeyConstraint(['review_id'], ['scale_up_reviews.id'], name=op.f('fk_scale_up_transitions_review_id_scale_up_reviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scale_up_transitions'))
    )
    with op.batch_alter_table('scale_up_transitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scale_up_transitions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_scale_up_transitions_pilot_id'), ['pilot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scale_up_transitions_review_id'), ['review_id'], unique=False)


def downgrade():
    with op.batch_alter_table('scale_up_transitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scale_up_transitions_review_id'))
        batch_op.drop_index(batch_op.f('ix_scale_up_transitions_pilot_id'))
        batch_op.drop_index(batch_op.f('ix_scale_up_transitions_created_at'))

    op.drop_table('scale_up_transitions')
    with op.batch_alter_table('scale_up_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scale_up_reviews_state'))
        batch_op.drop_index(batch_op.f('ix_scale_up_reviews_pilot_id'))
        batch_op.drop_index(batch_op.f('ix_scale_up_reviews_nominated_at'))
        batch_op.drop_index(batch_op.f('ix_scale_up_reviews_meeting_id'))

    op.drop_table('scale_up_reviews')
    with op.batch_alter_table('portfolio_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portfolio_meetings_date'))

    op.drop_table('portfolio_meetings')
