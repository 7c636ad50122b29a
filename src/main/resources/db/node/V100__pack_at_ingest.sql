-- Packing at ingest (issue 12), read by io.ponte.node.index.PackIndex. A new C-STORE or STOW-RS instance is held
-- from the upload queue (its blob_next_attempt_at set up to max-hold ahead) until its series is quiet; then the
-- at-ingest run packs the series. Its look for quiet series, every second, must not scan the whole upload backlog
-- (a Blob outage can leave millions of PENDING rows, all tried already): only never-tried PENDING rows, which are
-- the recent arrivals and the uploads in flight.
create index instance_held_for_pack_idx on instance (series_instance_uid, received_at)
    where blob_state = 'PENDING' and blob_attempts = 0 and pack_offset is null;
