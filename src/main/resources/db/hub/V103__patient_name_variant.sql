-- The other component groups of a patient's DICOM name (PS3.5 6.2.1: ideographic "山田^太郎",
-- phonetic "やまだ^たろう"), published as more HumanNames marked with their ISO 21090 representation,
-- each as a folded key like patient.name_search (io.ponte.text.NameFolding). QIDO-RS PatientName
-- without '=' matches any group (PS3.4 C.2.2.2.1), so a search finds the patient by these too. The
-- identity package replaces a patient's rows whenever a publication describes the patient; identity
-- matching still uses patient.name_search only.
create table patient_name_variant (
    patient_id   varchar(64)  not null references patient (id) on delete cascade,
    name_search  varchar(402) not null,
    primary key (patient_id, name_search)
);
-- Prefix searches ('山田%') by range, as V40's index on patient.name_search.
create index patient_name_variant_search_idx on patient_name_variant (name_search text_pattern_ops);

-- V98's patient_name_word holds the words of every name of a patient: fuzzy matching's word-start
-- pre-filter then finds a patient by a word of its ideographic or phonetic name too. The words are
-- recomputed from all the patient's names whenever one of them changes.
create function patient_name_words_of(pid varchar) returns void language plpgsql as $$
begin
    delete from patient_name_word where patient_id = pid;
    insert into patient_name_word (word, patient_id)
        select distinct w, p.id
          from patient p,
               lateral (select p.name_search as n
                        union all
                        select v.name_search from patient_name_variant v where v.patient_id = p.id) names,
               regexp_split_to_table(lower(coalesce(names.n, '')), '[ ^=,]+') as w
         where p.id = pid and w <> ''
    on conflict do nothing;
end;
$$;

create or replace function patient_name_words() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' and new.name_search is not distinct from old.name_search then
        return null;
    end if;
    perform patient_name_words_of(new.id);
    return null;
end;
$$;

create function patient_name_variant_words() returns trigger language plpgsql as $$
begin
    perform patient_name_words_of(case when tg_op = 'DELETE' then old.patient_id else new.patient_id end);
    return null;
end;
$$;
create trigger patient_name_variant_words after insert or delete on patient_name_variant
    for each row execute function patient_name_variant_words();
