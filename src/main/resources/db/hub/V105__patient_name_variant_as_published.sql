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

-- V103's trigger on patient computed a new patient's words by querying the patient by id in
-- patient_name_words_of. Its plans are cached per connection: planned while the table was tiny, they
-- scanned it whole for each row ever after (a bulk load of 300,000 patients ran for half an hour). A
-- new patient has no other names yet (they reference it), so its words come from its row, as V98's
-- did; a changed name still recomputes them all, planned for the table as it is at each call.
create or replace function patient_name_words() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into patient_name_word (word, patient_id)
            select distinct w, new.id
              from regexp_split_to_table(lower(coalesce(new.name_search, '')), '[ ^=,]+') as w
             where w <> ''
        on conflict do nothing;
    elsif new.name_search is distinct from old.name_search then
        perform patient_name_words_of(new.id);
    end if;
    return null;
end;
$$;
alter function patient_name_words_of(varchar) set plan_cache_mode = force_custom_plan;
