-- A clinician types a regional id in any case; ids are issued in the case their site, an admin or the matcher gave
-- them. IdentityService.issuedRegionalId finds the issued one by upper(regional_id) = upper(?): this index serves it.
create index if not exists regional_person_upper_idx on regional_person (upper(regional_id));
