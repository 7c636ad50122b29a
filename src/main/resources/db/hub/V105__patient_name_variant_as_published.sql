-- V104 let rows written before it stay with representation '' and no display. None can exist (V103 and
-- V104 shipped together), so the identity package no longer looks for them, and the column now takes
-- only the codes a publication may carry (ImagingStudyRules refuses any other).
delete from patient_name_variant where representation = '';
alter table patient_name_variant
    alter column representation drop default,
    add constraint patient_name_variant_representation check (representation in ('ABC', 'IDE', 'SYL'));

-- V103's trigger recomputed a patient's words once per row written. A publication that changes a
-- patient's other names replaces them in one delete and one insert: once per statement is enough, for
-- each patient the statement touched (a transition table holds one event only, hence two triggers).
drop trigger patient_name_variant_words on patient_name_variant;
drop function patient_name_variant_words();
create function patient_name_variant_words() returns trigger language plpgsql as $$
begin
    perform patient_name_words_of(t.patient_id) from (select distinct patient_id from changed) t;
    return null;
end;
$$;
create trigger patient_name_variant_words_insert after insert on patient_name_variant
    referencing new table as changed for each statement execute function patient_name_variant_words();
create trigger patient_name_variant_words_delete after delete on patient_name_variant
    referencing old table as changed for each statement execute function patient_name_variant_words();
