-- The rule catalogue (rules/*.toml) as SQL: every obligation as of the as-of date, with its due
-- time, what fulfilled it and its status. Written from the rule files, shared/domain/rules.md and
-- docs/rule-interpretation.md; see ../README.md for how each rule maps. Continues the WITH clause
-- of a dialect's prelude (parameter, calendar_input, follow_up_interval, stored_event, child) and
-- is dialect-neutral: day numbers, instants in seconds, flags as 1/0/NULL.

-- The Danish calendar, one row per day: local midnight and the day's last second (23:59:59) as
-- instants, the weekdays (hverdage) counted up to and including the day, and the law in force:
-- Serviceloven until 2023-12-31, Barnets Lov from 2024-01-01.
calendar AS (
  SELECT day, year, month_index, day_of_month, is_weekday,
         day * 86400 - midnight_offset AS starts_at,
         LEAD(day * 86400 - midnight_offset) OVER (ORDER BY day) - 1 AS ends_at,
         SUM(is_weekday) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS weekday_number,
         CASE WHEN year >= 2024 THEN 'BL' ELSE 'SEL' END AS law
  FROM calendar_input
),
calendar_month AS (
  SELECT month_index, MIN(day) AS first_day, COUNT(*) AS length
  FROM calendar
  GROUP BY month_index
),
calendar_year AS (
  SELECT year, MIN(day) AS first_day, MAX(day) AS last_day, COUNT(*) AS length
  FROM calendar
  GROUP BY year
),
as_of AS (
  SELECT p.as_of_day, p.period_from, p.period_to, p.feedback_months, c.year AS as_of_year,
         c.ends_at AS as_of_end
  FROM parameter p
  JOIN calendar c ON c.day = p.as_of_day
),

-- The events known at the end of the as-of date, less those a known retraction takes back, in
-- the order of a case: by instant, then by type in the natural order of a case, then by id. `seq`
-- numbers them in that order, each child's events together; "before" and "after" below compare it.
known_event AS (
  SELECT e.*
  FROM stored_event e
  CROSS JOIN as_of p
  WHERE e.at <= p.as_of_end
),
event AS (
  SELECT e.event_id, e.child_id, e.type, e.at, e.day, e.date_only, e.worker_id, e.ref,
         e.measure_id, e.measure_type, e.placement, e.professional, e.context, e.decision,
         e.reasoned, e.states_effort, e.rule_id,
         ROW_NUMBER() OVER (
           ORDER BY e.child_id, e.at,
             CASE e.type
               WHEN 'worker_assigned' THEN 0 WHEN 'notification_received' THEN 1
               WHEN 'notification_assessed' THEN 2 WHEN 'notification_acknowledged' THEN 3
               WHEN 'notifier_feedback' THEN 4 WHEN 'assessment_started' THEN 5
               WHEN 'child_conversation' THEN 6 WHEN 'conversation_waived' THEN 7
               WHEN 'assessment_updated' THEN 8 WHEN 'assessment_completed' THEN 9
               WHEN 'decision' THEN 10 WHEN 'plan_made' THEN 11 WHEN 'measure_started' THEN 12
               WHEN 'follow_up' THEN 13 WHEN 'supervision_visit' THEN 14
               WHEN 'measure_ended' THEN 15 WHEN 'aftercare_decision' THEN 16
               WHEN 'case_closed' THEN 17 WHEN 'case_reopened' THEN 18 WHEN 'exemption' THEN 19
             END,
             e.sort_id) AS seq
  FROM known_event e
  WHERE e.type <> 'retraction'
    AND e.event_id NOT IN (SELECT r.ref FROM known_event r
                           WHERE r.type = 'retraction' AND r.ref IS NOT NULL)
),
exemption AS (
  SELECT DISTINCT rule_id, ref FROM event WHERE type = 'exemption'
),

-- The events the rules read, by kind.
notification AS (
  SELECT * FROM event WHERE type = 'notification_received'
),
assessment AS (
  SELECT * FROM event
  WHERE type IN ('assessment_started', 'assessment_updated', 'assessment_completed')
),
conversation AS (
  SELECT * FROM event WHERE type IN ('child_conversation', 'conversation_waived')
),
decision AS (
  SELECT * FROM event WHERE type = 'decision'
),
plan AS (
  SELECT * FROM event WHERE type = 'plan_made'
),
measure_start AS (
  SELECT * FROM event WHERE type = 'measure_started'
),
follow_up AS (
  SELECT * FROM event WHERE type = 'follow_up'
),
supervision_visit AS (
  SELECT v.*, c.year FROM event v JOIN calendar c ON c.day = v.day
  WHERE v.type = 'supervision_visit'
),
-- The first answer of each kind to each notification (assessed, acknowledged, feedback given).
notification_answer AS (
  SELECT type, ref, seq
  FROM (SELECT type, ref, seq, ROW_NUMBER() OVER (PARTITION BY type, ref ORDER BY seq) AS nth
        FROM event
        WHERE type IN ('notification_assessed', 'notification_acknowledged', 'notifier_feedback'))
       AS answer
  WHERE nth = 1
),
-- A measure ends at its first measure_ended; the end date is a day it runs.
measure_end AS (
  SELECT child_id, measure_id, at, day, seq
  FROM (SELECT child_id, measure_id, at, day, seq,
               ROW_NUMBER() OVER (PARTITION BY child_id, measure_id ORDER BY seq) AS nth
        FROM event
        WHERE type = 'measure_ended') AS ended
  WHERE nth = 1
),
-- A measure's type: from its measure_started, else from its decision.
measure_kind AS (
  SELECT child_id, measure_id, measure_type
  FROM (SELECT child_id, measure_id, measure_type,
               ROW_NUMBER() OVER (
                 PARTITION BY child_id, measure_id
                 ORDER BY CASE type WHEN 'measure_started' THEN 0 ELSE 1 END, seq) AS nth
        FROM event
        WHERE type IN ('measure_started', 'decision') AND measure_type IS NOT NULL) AS typed
  WHERE nth = 1
),

-- One CTE per rule, each row one obligation: the rule, the child, the trigger, the due date
-- (due_day; due_at only where the deadline is not the end of a day), the fulfilling event (seq),
-- for rules that cease with their measure the instant the measure ended, and for hours rules
-- whether the clock started at a date only.

-- Underretning vurderet inden 24 timer: 24 hours round the clock from the notification. The due
-- time's local date is the next day's, or one either side when the clocks change in between.
notification_assessed_24h AS (
  SELECT 'notification_assessed_24h' AS rule_id, n.child_id, n.event_id AS trigger_id,
         CASE WHEN n.at + 24 * 3600 < c.starts_at THEN c.day - 1
              WHEN n.at + 24 * 3600 > c.ends_at THEN c.day + 1
              ELSE c.day END AS due_day,
         n.at + 24 * 3600 AS due_at, a.seq AS fulfilment_seq,
         CAST(NULL AS BIGINT) AS measure_end_at, 1 AS hours, n.date_only AS clock_date_only
  FROM notification n
  LEFT JOIN calendar c ON c.day = n.day + 1
  LEFT JOIN notification_answer a ON a.type = 'notification_assessed' AND a.ref = n.event_id
),
-- Kvittering til fagperson inden 6 hverdage: end of the 6th weekday after the notification's date.
notification_receipt_6_weekdays AS (
  SELECT 'notification_receipt_6_weekdays' AS rule_id, n.child_id, n.event_id AS trigger_id,
         due.day AS due_day, CAST(NULL AS BIGINT) AS due_at, a.seq AS fulfilment_seq,
         CAST(NULL AS BIGINT) AS measure_end_at, 0 AS hours, 0 AS clock_date_only
  FROM notification n
  LEFT JOIN calendar c ON c.day = n.day
  LEFT JOIN calendar due ON due.weekday_number = c.weekday_number + 6 AND due.is_weekday = 1
  LEFT JOIN notification_answer a ON a.type = 'notification_acknowledged' AND a.ref = n.event_id
  WHERE n.professional = 1
),
-- Tilbagemelding til fagperson: the local standard's months after the notification's date (the
-- same day of the month, or the month's last day where it has no such day).
professional_feedback AS (
  SELECT 'professional_feedback' AS rule_id, n.child_id, n.event_id AS trigger_id,
         m.first_day - 1 + CASE WHEN c.day_of_month < m.length THEN c.day_of_month
                                ELSE m.length END AS due_day,
         CAST(NULL AS BIGINT) AS due_at, a.seq AS fulfilment_seq,
         CAST(NULL AS BIGINT) AS measure_end_at, 0 AS hours, 0 AS clock_date_only
  FROM notification n
  CROSS JOIN as_of p
  LEFT JOIN calendar c ON c.day = n.day
  LEFT JOIN calendar_month m ON m.month_index = c.month_index + p.feedback_months
  LEFT JOIN notification_answer a ON a.type = 'notifier_feedback' AND a.ref = n.event_id
  WHERE n.professional = 1
),
-- Børnefaglig undersøgelse afsluttet inden 4 måneder: from the notification the assessment names
-- (else from its own start), fulfilled by the first completion after the start.
assessment_completion AS (
  SELECT s.seq AS started_seq, MIN(c.seq) AS completed_seq
  FROM assessment s
  JOIN assessment c ON c.child_id = s.child_id AND c.type = 'assessment_completed'
                   AND c.seq > s.seq
  WHERE s.type = 'assessment_started'
  GROUP BY s.seq
),
assessment_within_4_months AS (
  SELECT 'assessment_within_4_months' AS rule_id, s.child_id, s.event_id AS trigger_id,
         m.first_day - 1 + CASE WHEN c.day_of_month < m.length THEN c.day_of_month
                                ELSE m.length END AS due_day,
         CAST(NULL AS BIGINT) AS due_at, f.completed_seq AS fulfilment_seq,
         CAST(NULL AS BIGINT) AS measure_end_at, 0 AS hours, 0 AS clock_date_only
  FROM assessment s
  LEFT JOIN notification n ON n.event_id = s.ref
  LEFT JOIN calendar c ON c.day = COALESCE(n.day, s.day)
  LEFT JOIN calendar_month m ON m.month_index = c.month_index + 4
  LEFT JOIN assessment_completion f ON f.started_seq = s.seq
  WHERE s.type = 'assessment_started'
),
-- Samtale med barnet som led i undersøgelsen: a conversation (or waiver) in the context of the
-- assessment, after the latest start before the completion and before the completion.
completion_window AS (
  SELECT c.seq AS completed_seq, c.child_id, c.event_id, c.day, MAX(s.seq) AS started_seq
  FROM assessment c
  LEFT JOIN assessment s ON s.child_id = c.child_id AND s.type = 'assessment_started'
                        AND s.seq < c.seq
  WHERE c.type = 'assessment_completed'
  GROUP BY c.seq, c.child_id, c.event_id, c.day
),
conversation_in_assessment AS (
  SELECT 'conversation_in_assessment' AS rule_id, w.child_id, w.event_id AS trigger_id,
         w.day AS due_day, CAST(NULL AS BIGINT) AS due_at, MIN(v.seq) AS fulfilment_seq,
         CAST(NULL AS BIGINT) AS measure_end_at, 0 AS hours, 0 AS clock_date_only
  FROM completion_window w
  LEFT JOIN conversation v ON v.child_id = w.child_id AND v.context = 'assessment'
                          AND v.seq > COALESCE(w.started_seq, 0) AND v.seq < w.completed_seq
  GROUP BY w.child_id, w.event_id, w.day
),
-- Granting decisions, and the window since the child's previous grant (one at an earlier instant),
-- for the two assessment rules. Under Barnets Lov only placements need them, but every grant
-- opens a new window.
grant_window AS (
  SELECT g.seq AS grant_seq, g.child_id, g.event_id, g.day, g.measure_id, g.placement, c.law,
         MAX(previous.seq) AS previous_seq
  FROM decision g
  LEFT JOIN calendar c ON c.day = g.day
  LEFT JOIN decision previous ON previous.child_id = g.child_id
                             AND previous.decision = 'grant' AND previous.at < g.at
  WHERE g.decision = 'grant'
  GROUP BY g.seq, g.child_id, g.event_id, g.day, g.measure_id, g.placement, c.law
),
-- Børnefaglig undersøgelse udarbejdet eller opdateret: an assessment started or updated in the
-- window.
assessment_made AS (
  SELECT 'assessment_made' AS rule_id, w.child_id, w.event_id AS trigger_id, w.day AS due_day,
         CAST(NULL AS BIGINT) AS due_at, MIN(a.seq) AS fulfilment_seq,
         CAST(NULL AS BIGINT) AS measure_end_at, 0 AS hours, 0 AS clock_date_only
  FROM grant_window w
  LEFT JOIN assessment a ON a.child_id = w.child_id
                        AND a.type IN ('assessment_started', 'assessment_updated')
                        AND a.seq > COALESCE(w.previous_seq, 0) AND a.seq < w.grant_seq
  WHERE w.law = 'SEL' OR w.placement = 1
  GROUP BY w.child_id, w.event_id, w.day
),
-- Undersøgelse afsluttet eller opdateret inden afgørelsen: an assessment completed or updated in
-- the window.
assessment_before_decision AS (
  SELECT 'assessment_before_decision' AS rule_id, w.child_id, w.event_id AS trigger_id,
         w.day AS due_day, CAST(NULL AS BIGINT) AS due_at, MIN(a.seq) AS fulfilment_seq,
         CAST(NULL AS BIGINT) AS measure_end_at, 0 AS hours, 0 AS clock_date_only
  FROM grant_window w
  LEFT JOIN assessment a ON a.child_id = w.child_id
                        AND a.type IN ('assessment_completed', 'assessment_updated')
                        AND a.seq > COALESCE(w.previous_seq, 0) AND a.seq < w.grant_seq
  WHERE w.law = 'SEL' OR w.placement = 1
  GROUP BY w.child_id, w.event_id, w.day
),
-- Begrundet stillingtagen til foranstaltning: the grant or change itself states its reasoning.
reasoned_decision AS (
  SELECT 'reasoned_decision' AS rule_id, d.child_id, d.event_id AS trigger_id, d.day AS due_day,
         CAST(NULL AS BIGINT) AS due_at,
         CASE WHEN d.reasoned = 1 THEN d.seq END AS fulfilment_seq,
         CAST(NULL AS BIGINT) AS measure_end_at, 0 AS hours, 0 AS clock_date_only
  FROM decision d
  WHERE d.decision IN ('grant', 'change')
),
-- Børnesamtale forud for afgørelsen: a conversation (or waiver) in the context of a decision, for
-- this measure or none named, after the child's previous decision of any kind (one at an earlier
-- instant) and before this one.
conversation_before_decision AS (
  SELECT 'conversation_before_decision' AS rule_id, w.child_id, w.event_id AS trigger_id,
         w.day AS due_day, CAST(NULL AS BIGINT) AS due_at, MIN(v.seq) AS fulfilment_seq,
         CAST(NULL AS BIGINT) AS measure_end_at, 0 AS hours, 0 AS clock_date_only
  FROM (SELECT d.seq, d.child_id, d.event_id, d.day, d.measure_id,
               MAX(previous.seq) AS previous_seq
        FROM decision d
        LEFT JOIN decision previous ON previous.child_id = d.child_id AND previous.at < d.at
        WHERE d.decision IN ('grant', 'change', 'end')
        GROUP BY d.seq, d.child_id, d.event_id, d.day, d.measure_id) AS w
  LEFT JOIN conversation v ON v.child_id = w.child_id AND v.context = 'decision'
                          AND (v.measure_id IS NULL OR v.measure_id = w.measure_id)
                          AND v.seq > COALESCE(w.previous_seq, 0) AND v.seq < w.seq
  GROUP BY w.child_id, w.event_id, w.day
),
-- Handleplan / barnets plan: the first plan for the measure, made at any time; due with the
-- decision under Serviceloven, 3 months after it (placements only) under Barnets Lov.
plan_for_measure AS (
  SELECT 'plan_for_measure' AS rule_id, w.child_id, w.event_id AS trigger_id,
         CASE WHEN w.law = 'SEL' THEN w.day
              ELSE m.first_day - 1 + CASE WHEN c.day_of_month < m.length THEN c.day_of_month
                                          ELSE m.length END
         END AS due_day,
         CAST(NULL AS BIGINT) AS due_at, first_plan.seq AS fulfilment_seq,
         CAST(NULL AS BIGINT) AS measure_end_at, 0 AS hours, 0 AS clock_date_only
  FROM grant_window w
  LEFT JOIN calendar c ON c.day = w.day
  LEFT JOIN calendar_month m ON m.month_index = c.month_index + 3
  LEFT JOIN (SELECT child_id, measure_id, MIN(seq) AS seq FROM plan
             GROUP BY child_id, measure_id) AS first_plan
         ON first_plan.child_id = w.child_id AND first_plan.measure_id = w.measure_id
  WHERE w.law = 'SEL' OR w.placement = 1
),
-- Planen angiver den nødvendige indsats: the plan itself states the effort.
plan_states_effort AS (
  SELECT 'plan_states_effort' AS rule_id, p.child_id, p.event_id AS trigger_id, p.day AS due_day,
         CAST(NULL AS BIGINT) AS due_at,
         CASE WHEN p.states_effort = 1 THEN p.seq END AS fulfilment_seq,
         CAST(NULL AS BIGINT) AS measure_end_at, 0 AS hours, 0 AS clock_date_only
  FROM plan p
),
-- Første opfølgning inden 3 måneder: the first follow-up of the measure after its start; ceases
-- when the measure ends by the due time.
first_follow_up_3_months AS (
  SELECT 'first_follow_up_3_months' AS rule_id, s.child_id, s.event_id AS trigger_id,
         m.first_day - 1 + CASE WHEN c.day_of_month < m.length THEN c.day_of_month
                                ELSE m.length END AS due_day,
         CAST(NULL AS BIGINT) AS due_at, MIN(f.seq) AS fulfilment_seq,
         e.at AS measure_end_at, 0 AS hours, 0 AS clock_date_only
  FROM measure_start s
  LEFT JOIN calendar c ON c.day = s.day
  LEFT JOIN calendar_month m ON m.month_index = c.month_index + 3
  LEFT JOIN follow_up f ON f.child_id = s.child_id AND f.measure_id = s.measure_id
                       AND f.seq > s.seq
  LEFT JOIN measure_end e ON e.child_id = s.child_id AND e.measure_id = s.measure_id
  GROUP BY s.child_id, s.event_id, c.day_of_month, m.first_day, m.length, e.at
),
-- Opfølgning mindst hver 6. måned: each follow-up of a measure not ended before it needs the next
-- one within 6 months (Barnets Lov: the service catalogue's interval for the measure's type, 6
-- months where it sets none); ceases when the measure ends by the due time.
follow_up_6_months AS (
  SELECT 'follow_up_6_months' AS rule_id, f.child_id, f.event_id AS trigger_id,
         m.first_day - 1 + CASE WHEN f.day_of_month < m.length THEN f.day_of_month
                                ELSE m.length END AS due_day,
         CAST(NULL AS BIGINT) AS due_at, f.next_seq AS fulfilment_seq,
         f.end_at AS measure_end_at, 0 AS hours, 0 AS clock_date_only
  FROM (SELECT f.child_id, f.event_id, c.month_index, c.day_of_month, e.at AS end_at,
               CASE WHEN c.law = 'SEL' THEN 6 ELSE COALESCE(i.months, 6) END AS months,
               LEAD(f.seq) OVER (PARTITION BY f.child_id, f.measure_id ORDER BY f.seq)
                 AS next_seq,
               CASE WHEN e.seq < f.seq THEN 1 ELSE 0 END AS after_end
        FROM follow_up f
        LEFT JOIN calendar c ON c.day = f.day
        LEFT JOIN measure_end e ON e.child_id = f.child_id AND e.measure_id = f.measure_id
        LEFT JOIN measure_kind k ON k.child_id = f.child_id AND k.measure_id = f.measure_id
        LEFT JOIN follow_up_interval i ON i.measure_type = k.measure_type) AS f
  LEFT JOIN calendar_month m ON m.month_index = f.month_index + f.months
  WHERE f.after_end = 0
),
-- Personrettet tilsyn mindst 2 gange årligt: one obligation per calendar year (up to the as-of
-- year) in which a placement runs, from its start date to its end date, both counted (a placement
-- whose end is registered before its start runs on no day); due at the
-- end of the year or of the placement's last day; 2 visits for a whole year, else
-- ceil(2 × days placed ÷ days in the year); fulfilled by the visit that reaches the number.
placement_year AS (
  SELECT s.child_id, s.event_id AS trigger_id, s.measure_id, y.year,
         CASE WHEN e.day IS NOT NULL AND e.day < y.last_day THEN e.day ELSE y.last_day END
           AS last_placed,
         (2 * ((CASE WHEN e.day IS NOT NULL AND e.day < y.last_day THEN e.day ELSE y.last_day END)
               - (CASE WHEN s.day > y.first_day THEN s.day ELSE y.first_day END) + 1)
          + y.length - 1) / y.length AS required_visits
  FROM measure_start s
  CROSS JOIN as_of p
  LEFT JOIN measure_end e ON e.child_id = s.child_id AND e.measure_id = s.measure_id
  JOIN calendar_year y ON y.last_day >= s.day AND (e.day IS NULL OR y.first_day <= e.day)
                      AND y.year <= p.as_of_year
  WHERE s.placement = 1 AND (e.day IS NULL OR e.day >= s.day)
),
supervision_twice_yearly AS (
  SELECT 'supervision_twice_yearly' AS rule_id, y.child_id, y.trigger_id, y.last_placed AS due_day,
         CAST(NULL AS BIGINT) AS due_at, v.seq AS fulfilment_seq,
         CAST(NULL AS BIGINT) AS measure_end_at, 0 AS hours, 0 AS clock_date_only
  FROM placement_year y
  LEFT JOIN (SELECT child_id, measure_id, year, seq,
                    ROW_NUMBER() OVER (PARTITION BY child_id, measure_id, year ORDER BY seq)
                      AS number_in_year
             FROM supervision_visit) AS v
         ON v.child_id = y.child_id AND v.measure_id = y.measure_id AND v.year = y.year
        AND v.number_in_year = y.required_visits
),
-- Samtale med barnet ved tilsynsbesøg: a conversation (or waiver) in the context of supervision on
-- the visit's date.
supervision_with_conversation AS (
  SELECT 'supervision_with_conversation' AS rule_id, v.child_id, v.event_id AS trigger_id,
         v.day AS due_day, CAST(NULL AS BIGINT) AS due_at, MIN(c.seq) AS fulfilment_seq,
         CAST(NULL AS BIGINT) AS measure_end_at, 0 AS hours, 0 AS clock_date_only
  FROM supervision_visit v
  LEFT JOIN conversation c ON c.child_id = v.child_id AND c.context = 'supervision'
                          AND c.day = v.day
  GROUP BY v.child_id, v.event_id, v.day
),
-- Afgørelse om efterværn / ungestøtte: due the day the child is 17 years and 6 months old (birth
-- date + 210 months), for the child's earliest placement running on that day as far as is known:
-- started by then and not ended before it. Before that day, that is a placement with no known end,
-- and it counts only from 12 months before the day. A day the calendar does not reach is more
-- than 12 months after the as-of date, or before any event.
aftercare_day AS (
  SELECT ch.child_id, d.day AS due_day, notice.first_day - 1
           + CASE WHEN d.day_of_month < notice.length THEN d.day_of_month ELSE notice.length END
           AS notice_from
  FROM child ch
  JOIN calendar_month m ON m.month_index = ch.birth_month_index + 210
  JOIN calendar d ON d.day = m.first_day - 1 + CASE WHEN ch.birth_day_of_month < m.length
                                                    THEN ch.birth_day_of_month ELSE m.length END
  LEFT JOIN calendar_month notice ON notice.month_index = m.month_index - 12
),
aftercare_decision AS (
  SELECT 'aftercare_decision' AS rule_id, t.child_id, s.event_id AS trigger_id, t.due_day,
         CAST(NULL AS BIGINT) AS due_at, first_decision.seq AS fulfilment_seq,
         CAST(NULL AS BIGINT) AS measure_end_at, 0 AS hours, 0 AS clock_date_only
  FROM (SELECT a.child_id, a.due_day, MIN(s.seq) AS trigger_seq
        FROM aftercare_day a
        CROSS JOIN as_of p
        JOIN measure_start s ON s.child_id = a.child_id AND s.placement = 1
        LEFT JOIN measure_end e ON e.child_id = s.child_id AND e.measure_id = s.measure_id
        WHERE s.day <= a.due_day AND (e.day IS NULL OR e.day >= a.due_day)
          AND (a.due_day <= p.as_of_day OR a.notice_from IS NULL OR a.notice_from <= p.as_of_day)
        GROUP BY a.child_id, a.due_day) AS t
  JOIN measure_start s ON s.seq = t.trigger_seq
  LEFT JOIN (SELECT child_id, MIN(seq) AS seq FROM event WHERE type = 'aftercare_decision'
             GROUP BY child_id) AS first_decision ON first_decision.child_id = t.child_id
),

obligation AS (
  SELECT * FROM notification_assessed_24h
  UNION ALL SELECT * FROM notification_receipt_6_weekdays
  UNION ALL SELECT * FROM professional_feedback
  UNION ALL SELECT * FROM assessment_within_4_months
  UNION ALL SELECT * FROM conversation_in_assessment
  UNION ALL SELECT * FROM assessment_made
  UNION ALL SELECT * FROM assessment_before_decision
  UNION ALL SELECT * FROM reasoned_decision
  UNION ALL SELECT * FROM conversation_before_decision
  UNION ALL SELECT * FROM plan_for_measure
  UNION ALL SELECT * FROM plan_states_effort
  UNION ALL SELECT * FROM first_follow_up_3_months
  UNION ALL SELECT * FROM follow_up_6_months
  UNION ALL SELECT * FROM supervision_twice_yearly
  UNION ALL SELECT * FROM supervision_with_conversation
  UNION ALL SELECT * FROM aftercare_decision
),

-- On time: the fulfilment's instant is not after the due time; a date-only fulfilment's date is
-- not after the due date. An end-of-day deadline is due at the day's last second.
judged AS (
  SELECT o.rule_id, o.child_id, o.trigger_id, o.due_day, COALESCE(o.due_at, d.ends_at) AS due_at,
         f.event_id AS fulfilment_id,
         CASE WHEN f.seq IS NULL THEN NULL
              WHEN f.date_only = 1 THEN CASE WHEN f.day <= o.due_day THEN 1 ELSE 0 END
              WHEN f.at <= COALESCE(o.due_at, d.ends_at) THEN 1
              ELSE 0 END AS on_time,
         CASE WHEN x.ref IS NULL THEN 0 ELSE 1 END AS exempted,
         o.measure_end_at,
         CASE WHEN o.hours = 1 AND (o.clock_date_only = 1 OR f.date_only = 1) THEN 1 ELSE 0 END
           AS time_assumed
  FROM obligation o
  LEFT JOIN calendar d ON d.day = o.due_day
  LEFT JOIN event f ON f.seq = o.fulfilment_seq
  LEFT JOIN exemption x ON x.rule_id = o.rule_id AND x.ref = o.trigger_id
),
-- Status, in this order: met on time; exempted; not applicable (the measure ended by the due
-- time); met late; overdue (due before the end of the as-of date); open. NULL where the calendar
-- does not reach the due date, so that the caller can refuse the answer.
obligation_status AS (
  SELECT j.rule_id, j.child_id, j.trigger_id, j.due_day, j.due_at, j.fulfilment_id,
         j.time_assumed,
         CASE WHEN j.due_at IS NULL THEN NULL
              WHEN j.on_time = 1 THEN 'met'
              WHEN j.exempted = 1 THEN 'exempted'
              WHEN j.measure_end_at <= j.due_at THEN 'not_applicable'
              WHEN j.on_time = 0 THEN 'met_late'
              WHEN j.due_at < p.as_of_end THEN 'overdue'
              ELSE 'open' END AS status
  FROM judged j
  CROSS JOIN as_of p
),
-- The obligations a period's figures count: due in the period, or still open.
counted AS (
  SELECT o.*
  FROM obligation_status o
  CROSS JOIN as_of p
  WHERE o.status IS NULL OR o.status = 'open' OR o.due_day BETWEEN p.period_from AND p.period_to
)
