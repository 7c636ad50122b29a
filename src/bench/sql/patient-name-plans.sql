-- FHIR Patient?name= at scale: EXPLAIN (ANALYZE, BUFFERS) of the count PatientReader sends, generic plan,
-- for the three shapes the hub has used: the LIKE alone (a scan of every patient), the value's first word
-- as a range on patient_name_word (main until 2026-12-05), every word's range intersected (now). Run by
-- patient-name-plans.sh against a scratch database that has the hub's schema (docs/performance.md).
\set ON_ERROR_STOP on
\pset pager off

-- 300,000 patients at five sites. Family names: silva one in eight (the commonest Portuguese name is
-- about as common), 28 others one in 32 each (gusmao among them); given names: 12, so iris is one in 12
-- but never beside gusmao (gusmao iris is a pair no one has). Folded already (ASCII, lower case), so
-- name_search is family^given as NameFolding.key writes it; the V98 trigger fills patient_name_word.
insert into patient (id, site_id, identifier_system, identifier_value, family_name, given_names,
                     birth_date, gender, version_id, last_updated, name_search)
select 'nb-p' || n, site, 'urn:ponte:' || site || ':mrn', 'NB' || lpad(n::text, 8, '0'), family, given,
       date '1930-01-01' + ((n::bigint * 7919) % 32000)::int, case when n % 2 = 0 then 'female' else 'male' end, 1, now(),
       family || '^' || given
  from (select n, (array['hospital-a', 'hospital-b', 'hospital-c', 'hospital-d', 'clinic-norte'])[1 + n % 5] as site,
               case when n % 32 in (0, 8, 16, 24) then 'silva'
                    else (array['gusmao', 'ferreira', 'pereira', 'costa', 'santos', 'oliveira', 'rodrigues',
                                'martins', 'sousa', 'fernandes', 'goncalves', 'gomes', 'lopes', 'marques',
                                'alves', 'almeida', 'ribeiro', 'pinto', 'carvalho', 'teixeira', 'moreira',
                                'correia', 'mendes', 'nunes', 'soares', 'vieira', 'monteiro', 'cardoso'])
                         [(n % 32) - (n % 32) / 8]
               end as family,
               (array['ana', 'maria', 'joao', 'jose', 'iris', 'rui', 'ines', 'pedro', 'sofia', 'tiago',
                      'marta', 'nuno'])[1 + (n / 32) % 12] as given
          from generate_series(1, 300000) n) x;
-- No gusmao iris: those rows are called ines instead.
update patient set given_names = 'ines', name_search = family_name || '^ines'
 where id like 'nb-p%' and family_name = 'gusmao' and given_names = 'iris';
vacuum analyze patient;
vacuum analyze patient_name_word;

select family_name, count(*) from patient where family_name in ('silva', 'gusmao') group by 1 order by 1;
select v.word, count(*) as patients_with_the_word
  from (values ('gusm', 'gusn'), ('silva', 'silvb'), ('iris', 'irit')) v (word, next)
  join patient_name_word w on w.word >= v.word and w.word < v.next group by 1 order by 1;

-- The hub's statements are prepared; after five executions pgjdbc's are planned once, generically.
set plan_cache_mode = force_generic_plan;

prepare scan (text) as
select count(*) from patient p
 where true and (((' ' || replace(p.name_search, '^', ' ')) like $1 escape '!')) and true;

prepare first_word (text, text, text) as
select count(*) from patient p
 where true and ((p.id = any(array(select w.patient_id from patient_name_word w
                                    where w.word >= $1 and w.word < $2))
                  and (' ' || replace(p.name_search, '^', ' ')) like $3 escape '!')) and true;

prepare every_word (text, text, text, text, text) as
select count(*) from patient p
 where true and ((p.id = any(array(select w.patient_id from patient_name_word w
                                    where w.word >= $1 and w.word < $2
                                   intersect
                                   select w.patient_id from patient_name_word w
                                    where w.word >= $3 and w.word < $4))
                  and (' ' || replace(p.name_search, '^', ' ')) like $5 escape '!')) and true;

-- Each plan three times (cold and warm caches alike on a busy machine), after a line "### value shape"; the
-- shell script picks the "Execution Time" and the top node's buffers out of this output.
\o :plans
\pset tuples_only on
select s
  from (values (1, 'gusm', 'scan', $c$scan('% gusm%')$c$),
               (2, 'gusm', 'first_word', $c$first_word('gusm', 'gusn', '% gusm%')$c$),
               (3, 'silva', 'scan', $c$scan('% silva%')$c$),
               (4, 'silva', 'first_word', $c$first_word('silva', 'silvb', '% silva%')$c$),
               (5, 'gusmao_iris', 'scan', $c$scan('% gusmao iris%')$c$),
               (6, 'gusmao_iris', 'first_word', $c$first_word('gusmao', 'gusmap', '% gusmao iris%')$c$),
               (7, 'gusmao_iris', 'every_word',
                $c$every_word('gusmao', 'gusmap', 'iris', 'irit', '% gusmao iris%')$c$),
               (8, 'silva_iris', 'scan', $c$scan('% silva iris%')$c$),
               (9, 'silva_iris', 'first_word', $c$first_word('silva', 'silvb', '% silva iris%')$c$),
               (10, 'silva_iris', 'every_word',
                $c$every_word('silva', 'silvb', 'iris', 'irit', '% silva iris%')$c$)) c (n, value, shape, call),
       lateral (select 0 as k, format('select %L', '### ' || c.value || ' ' || c.shape) as s
                union all
                select k, 'explain (analyze, buffers) execute ' || c.call from generate_series(1, 3) k) x
 order by c.n, x.k
\gexec
\o
