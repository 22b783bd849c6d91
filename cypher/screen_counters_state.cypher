// The screening counters' state: fresh or stale, when refreshed, the graph's counts then
// :params {}
MATCH (c:ScreenCounters {name: 'screen'})
RETURN c.state AS state, c.refreshed_at AS refreshed_at, c.seconds AS seconds,
       c.enterprises AS enterprises, c.fingerprint AS fingerprint
