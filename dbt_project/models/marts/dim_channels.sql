select
    channels.channel,
    channels.channel_name,
    channels.channel_type,
    channels.order_flow,
    channels.default_currency,
    channels.source_time_zone,
    service_levels.service_level_days
from {{ ref('channels') }} as channels
left join {{ ref('channel_service_levels') }} as service_levels
    on service_levels.channel = channels.channel
