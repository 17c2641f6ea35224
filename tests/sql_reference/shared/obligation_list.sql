-- The obligations behind the figures, attributed to the caseworker assigned at the due time (the
-- latest assignment at or before it; for a due time after the as-of date, the latest known) and
-- to that caseworker's unit, or to the child's unit when none is assigned.
SELECT o.rule_id, o.child_id, o.trigger_id, o.due_at, o.due_day, o.status,
       CASE WHEN o.status IN ('met', 'met_late') THEN o.fulfilment_id END AS fulfilled_by,
       a.worker_id, COALESCE(w.unit_id, ch.unit_id) AS unit_id, o.time_assumed
FROM counted o
JOIN child ch ON ch.child_id = o.child_id
LEFT JOIN (SELECT c.rule_id, c.trigger_id, c.due_day, MAX(e.seq) AS seq
           FROM counted c
           JOIN event e ON e.child_id = c.child_id AND e.type = 'worker_assigned'
                       AND e.at <= c.due_at
           GROUP BY c.rule_id, c.trigger_id, c.due_day) AS latest
       ON latest.rule_id = o.rule_id AND latest.trigger_id = o.trigger_id
      AND latest.due_day = o.due_day
LEFT JOIN event a ON a.seq = latest.seq
LEFT JOIN workers w ON w.worker_id = a.worker_id
