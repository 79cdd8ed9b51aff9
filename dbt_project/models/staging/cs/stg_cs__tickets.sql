select
    ticket_id,
    lower(channel) as channel,
    order_ref as channel_order_id,
    customer_contact,
    subject,
    category,
    {{ iso_text_to_utc('created_at') }} as created_at_utc,
    {{ iso_text_to_utc('first_response_at') }} as first_response_at_utc,
    {{ iso_text_to_utc('resolved_at') }} as resolved_at_utc,
    agent,
    status,
    {{ lineage_columns() }}
from {{ source('cs', 'tickets') }}
