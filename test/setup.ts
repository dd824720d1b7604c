// Global jest setup shared by every test file. Keep it deterministic: no network, fixed time zone.
process.env.TZ = 'UTC';
