-- Why a send failed, as the code that ended it named it (hub/send SendFailure): the pages word the kind, the
-- reason stays the technical detail for IT. Null while the send has not failed.
alter table send_job add column failure varchar(32)
    check (failure in ('INTERRUPTED', 'AUDIT_UNAVAILABLE', 'CONNECTION_LOST', 'NOT_ALL_STORED',
                       'PACS_UNREACHABLE', 'OTHER'));

-- Sends that failed before: the kind told from the recorded reason, as the pages told it until now (the first
-- rule that matches the reason's start wins), so older jobs read alike.
update send_job set failure = case
    when reason ~ '^(?:interrupted by a restart of the hub)' then 'INTERRUPTED'
    when reason ~ '^(?:the audit trail is unavailable)' then 'AUDIT_UNAVAILABLE'
    when reason ~ '^(?:the connection to the PACS .* broke off)' then 'CONNECTION_LOST'
    when reason ~ '^(?:\d+ of \d+ instances were not stored|the STOW-RS endpoint \S+ answered (202|409): \d+ refused$)'
        then 'NOT_ALL_STORED'
    when reason ~ '^(?:the PACS .+ at \S+ did not accept an association|the STOW-RS endpoint |the token endpoint )'
        then 'PACS_UNREACHABLE'
    else 'OTHER'
end
where state = 'failed';
