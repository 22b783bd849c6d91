// Mark the screening counters stale (a writer is about to change the registry) or fresh
// :params {state: "stale", refreshed_at: null, seconds: null, enterprises: null, fingerprint: null}
MERGE (c:ScreenCounters {name: 'screen'})
SET c.state = $state,
    c.refreshed_at = coalesce($refreshed_at, c.refreshed_at),
    c.seconds = coalesce($seconds, c.seconds),
    c.enterprises = coalesce($enterprises, c.enterprises),
    c.fingerprint = coalesce($fingerprint, c.fingerprint)
RETURN c.state AS state
