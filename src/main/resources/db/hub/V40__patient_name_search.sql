-- A folded name key (lower case, no accents: "goncalves^maria") for name searches from the
-- clinician's pages, FHIR Patient?name= and QIDO PatientName, so every hospital's spelling of a
-- name is found by one search. The application writes it (io.ponte.text.NameFolding) whenever it
-- writes the name; PostgreSQL's unaccent would need an extension the application role may not be
-- allowed to create. The backfill below folds the Latin accents the region's names use; the next
-- publication of a patient's study rewrites the key with the application's folding.
alter table patient add column name_search varchar(402);

update patient set name_search = lower(translate(
    coalesce(family_name, '') || '^' || coalesce(given_names, ''),
    'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿ',
    'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYyy'));

alter table patient alter column name_search set not null;

-- Word-start and prefix searches (LIKE 'gon%') use the text_pattern_ops index; birth date narrows a
-- name search to one person.
create index patient_name_search_idx on patient (name_search text_pattern_ops);
create index patient_birth_date_idx on patient (birth_date);
