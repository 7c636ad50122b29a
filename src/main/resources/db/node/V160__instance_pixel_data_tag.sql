-- Which top-level pixel data element an instance has: Pixel Data (7FE0,0010), Float Pixel Data (7FE0,0008, OF)
-- or Double Float Pixel Data (7FE0,0009, OD). WADO-RS metadata names that element, with its VR and a
-- BulkDataURI (PS3.18 F.2), from the index alone. Null for none, and for rows indexed before this version
-- (their metadata keeps naming Pixel Data, as before).
alter table instance add column pixel_data_tag integer;
comment on column instance.pixel_data_tag is
    'tag of the top-level pixel data element (0x7FE00010, 0x7FE00008 or 0x7FE00009); null when none or not recorded';
