-- An outbox row's generation guards an attempt's outcome against a rebuild meanwhile. A study's row is
-- dropped with the study (a withdrawal) and inserted again if the study is sent again; counting from 1
-- per row, the new row could carry the generation an old claim still holds, and that claim's outcome
-- (a 201, a final refusal) would settle content it never sent. Generations come from one sequence:
-- never handed out twice on this node.
create sequence publication_outbox_generation_seq;
select setval('publication_outbox_generation_seq', coalesce((select max(generation) from publication_outbox), 0) + 1, false);
alter table publication_outbox alter column generation set default nextval('publication_outbox_generation_seq');
