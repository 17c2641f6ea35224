-- The figures of `tilsyn check` (RunCheck): per rule and status, the obligations due in the
-- period or still open, and how many of them rest on a date alone (time_assumed).
SELECT rule_id, status, COUNT(*) AS obligations, SUM(time_assumed) AS time_assumed
FROM counted
GROUP BY rule_id, status
