-- Body Part Examined (0018,0015) is a series attribute: ingest indexes it on the series row (node/index
-- InstanceIndex), so the publisher reads one column for ImagingStudy.series.bodySite instead of each instance's
-- DICOM JSON at every build. Instances of one series that disagree are malformed, so any choice is arbitrary;
-- the one kept is the one every writer reaches whatever the order its instances arrive or are rebuilt in: the
-- least (in the database's collation) of the series' non-empty values, each its first value, trimmed, at most
-- 64 characters (a CS is at most 16; a longer one is kept for what it is and given no bodySite).
alter table series add column body_part_examined varchar(64);
comment on column series.body_part_examined is
    'Body Part Examined (0018,0015): least non-empty first value over the series'' instances; null when none has one';

-- Series indexed before this version: the same rule over their instances' DICOM JSON, once.
update series se set body_part_examined = b.body_part_examined
from (
    select series_instance_uid,
           min(left(nullif(trim(metadata -> '00180015' -> 'Value' ->> 0), ''), 64)) as body_part_examined
    from instance
    group by series_instance_uid
) b
where b.series_instance_uid = se.series_instance_uid and b.body_part_examined is not null;
