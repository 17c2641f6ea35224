-- The obligations behind the figures, with their due time (the end of the due date, 23:59:59
-- local time, unless the deadline is an instant), attributed to the caseworker assigned at the
-- due time (the latest assignment at or before it; for a due time after the as-of date, the latest
-- known) and to that caseworker's unit, or to the child's unit when none is assigned.
SELECT o.rule_id, o.child_id, o.trigger_id, o.due_at, o.due_day, o.status,
       CASE WHEN o.status IN ('met', 'met_late') THEN o.fulfilment_id END AS fulfilled_by,
       a.worker_id, COALESCE(w.unit_id, ch.unit_id) AS unit_id, o.time_assumed
FROM (SELECT c.rule_id, c.child_id, c.trigger_id, c.due_day, c.status, c.fulfilment_id,
             c.time_assumed, COALESCE(c.due_at, d.ends_at) AS due_at
      FROM counted c
      LEFT JOIN calendar d ON d.day = c.due_day) AS o
JOIN child ch ON ch.child_id = o.child_id
LEFT JOIN (SELECT rule_id, trigger_id, due_day, worker_id
           FROM (SELECT o.rule_id, o.trigger_id, o.due_day, e.worker_id,
                        ROW_NUMBER() OVER (PARTITION BY o.rule_id, o.trigger_id, o.due_day
                                           ORDER BY e.order_key DESC) AS nth
                 FROM counted o
                 LEFT JOIN calendar d ON d.day = o.due_day
                 JOIN event e ON e.child_id = o.child_id AND e.type = 'worker_assigned'
                             AND e.at <= COALESCE(o.due_at, d.ends_at)) AS assigned
           WHERE nth = 1) AS a
       ON a.rule_id = o.rule_id AND a.trigger_id = o.trigger_id AND a.due_day = o.due_day
LEFT JOIN workers w ON w.worker_id = a.worker_id
