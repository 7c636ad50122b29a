-- QIDO-RS at a million studies (docs/performance.md, "QIDO-RS at one million studies").

-- What a study-level answer shows, as columns written with resource_json (ImagingStudyPublisher): a
-- page is answered without reading (and de-TOASTing) each study's stored ImagingStudy, which lists every
-- instance; AccessionNumber is matched by index instead of casting every row's JSON (a sequential scan of
-- the whole registry per query before).
alter table imaging_study add column accession_number text;
alter table imaging_study add column description text;
alter table imaging_study add column number_of_series integer;
alter table imaging_study add column number_of_instances integer;
-- ModalitiesInStudy as answered (codes sorted, joined by backslash), so a page does not aggregate
-- imaging_study_modality per row; that table still serves the ModalitiesInStudy match.
alter table imaging_study add column modalities_in_study varchar(400);

update imaging_study s
   set accession_number = (select i ->> 'value'
                             from jsonb_array_elements(case when jsonb_typeof(j -> 'identifier') = 'array'
                                                            then j -> 'identifier' else '[]' end)
                                  with ordinality as t (i, n)
                            where i -> 'type' -> 'coding' @> '[{"code": "ACSN"}]'
                            order by n desc limit 1),
       description = j ->> 'description',
       number_of_series = (j ->> 'numberOfSeries')::integer,
       number_of_instances = (j ->> 'numberOfInstances')::integer,
       modalities_in_study = (select string_agg(m.code, '\' order by m.code)
                                from imaging_study_modality m where m.study_id = s.id)
  from (select id, resource_json::jsonb as j from imaging_study) x
 where x.id = s.id;

create index imaging_study_accession_idx on imaging_study (accession_number);

-- The words of each patient's folded name (name_search split where QIDO's fuzzy matching starts a word:
-- space, ^, =, comma), so that a word-start search ("gon*" finds "maria^goncalves silva") is an index
-- range scan instead of a LIKE '% gon%' over every patient. Maintained by the trigger below whoever writes
-- the name; collation "C" lets the primary key serve LIKE 'prefix%'. The search still applies its own
-- condition to the patients found here, so this is only ever a pre-filter.
create table patient_name_word (
    word        varchar(402) collate "C" not null,
    patient_id  varchar(64)  not null references patient (id) on delete cascade,
    primary key (word, patient_id)
);
create index patient_name_word_patient_idx on patient_name_word (patient_id);

create function patient_name_words() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        if new.name_search is not distinct from old.name_search then
            return null;
        end if;
        delete from patient_name_word where patient_id = new.id;
    end if;
    insert into patient_name_word (word, patient_id)
        select distinct w, new.id
          from regexp_split_to_table(lower(coalesce(new.name_search, '')), '[ ^=,]+') as w
         where w <> ''
    on conflict do nothing;
    return null;
end;
$$;
create trigger patient_name_words after insert or update of name_search on patient
    for each row execute function patient_name_words();

insert into patient_name_word (word, patient_id)
    select distinct w, p.id
      from patient p, regexp_split_to_table(lower(p.name_search), '[ ^=,]+') as w
     where w <> ''
on conflict do nothing;

analyze imaging_study;
analyze patient_name_word;
