-- The replica's pack journal names its copier by run (issue 12): owner is the run id of io.ponte.node.index.ClaimOwner
-- (decimal), whose session advisory lock is held while the run lives, as the instances' claims name it (V120). A
-- WRITING row whose run holds no lock in pg_locks is a dead copier's and is finished at once by the next recovery,
-- never after a lease (V130's comment predates this); a live run's row is never taken, however old. Rows of an
-- earlier version (a random UUID) name no live run, so they are finished as a dead one's.
comment on column replica_pack_journal.owner is
    'run id (ClaimOwner) of the copier; its advisory lock held while it lives';
