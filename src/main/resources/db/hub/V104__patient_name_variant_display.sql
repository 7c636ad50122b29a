-- The other component groups of a patient's name (V103) as published, for the answers: QIDO-RS and
-- C-FIND give PatientName's Ideographic and Phonetic groups (PS3.18 F.2.2), FHIR Patient gives them as
-- HumanNames with their iso21090-EN-representation. representation is the group's code (IDE, SYL);
-- family_name and given_names are the HumanName's, as patient.family_name and given_names hold the
-- first name's. A row written before this version has representation '' and no display: it is still
-- searched, and shown once a publication describes the patient again (the identity package rewrites
-- the rows then). A group is now its own row even when two groups fold to the same key.
alter table patient_name_variant
    add column representation varchar(3)   not null default '',
    add column family_name    varchar(200),
    add column given_names    varchar(200);
alter table patient_name_variant drop constraint patient_name_variant_pkey;
alter table patient_name_variant add primary key (patient_id, representation, name_search);
