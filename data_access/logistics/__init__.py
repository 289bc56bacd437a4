"""Named queries of the logistics page (物流履约): fulfilment times, on-time rates, stuck orders, delay effects."""
