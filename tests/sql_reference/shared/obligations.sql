-- The rule catalogue (rules/*.toml) as SQL: every obligation as of the as-of date, with its due
-- date, what fulfilled it and its status. Written from the rule files, shared/domain/rules.md and
-- docs/rule-interpretation.md; see ../README.md for how each rule maps. Continues the WITH clause
-- of a dialect's prelude (parameter, calendar_input, follow_up_interval, stored_event, child) and
-- is dialect-neutral: day numbers, instants in seconds, months as year * 12 + month - 1, flags as
-- 1/0/NULL.

-- The Danish calendar, one row per day: local midnight and the day's last second (23:59:59) as
-- instants, and the weekdays (hverdage) counted up to and including the day.
calendar AS MATERIALIZED (
  SELECT day, month_index, day_of_month, is_weekday,
         day * 86400 - midnight_offset AS starts_at,
         LEAD(day * 86400 - midnight_offset) OVER (ORDER BY day) - 1 AS ends_at,
         SUM(is_weekday) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS weekday_number
  FROM calendar_input
),
calendar_month AS MATERIALIZED (
  SELECT month_index, MIN(day) AS first_day, COUNT(*) AS length
  FROM calendar
  GROUP BY month_index
),
calendar_year AS MATERIALIZED (
  SELECT month_index / 12 AS year, MIN(day) AS first_day, MAX(day) AS last_day, COUNT(*) AS length
  FROM calendar
  GROUP BY month_index / 12
),
as_of AS MATERIALIZED (
  SELECT p.as_of_day, p.period_from, p.period_to, p.feedback_months,
         c.month_index / 12 AS as_of_year, c.ends_at AS as_of_end
  FROM parameter p
  JOIN calendar c ON c.day = p.as_of_day
),

-- The events that known retractions take back.
retracted AS MATERIALIZED (
  SELECT r.ref
  FROM stored_event r
  CROSS JOIN as_of p
  WHERE r.type = 'retraction' AND r.at <= p.as_of_end AND r.ref IS NOT NULL
),
-- The events known at the end of the as-of date, less those a known retraction takes back.
-- A case's events are in this order: by instant, then by type in the natural order of a case,
-- then by id, and `order_key` spells that order as text (the instant and the type's place as
-- fixed-width digits, then the id), so that "before", "after" and "first" below compare it.
-- `law` is the law in force on the event's date: Serviceloven until 2023-12-31, Barnets Lov from
-- January 2024. Not materialized: each kind of event below is read from the events table itself,
-- whose statistics tell the database how many there are of each.
event AS NOT MATERIALIZED (
  SELECT e.event_id, e.child_id, e.type, e.at, e.day, e.month_index, e.day_of_month,
         e.date_only, e.worker_id, e.ref, e.measure_id, e.measure_type, e.placement,
         e.professional, e.context, e.decision, e.reasoned, e.states_effort, e.rule_id,
         CASE WHEN e.month_index >= 2024 * 12 THEN 'BL' ELSE 'SEL' END AS law,
         substr(CAST(e.at + 103000000000 AS TEXT), 2)
           || substr(CAST(100 + CASE e.type
                WHEN 'worker_assigned' THEN 0 WHEN 'notification_received' THEN 1
                WHEN 'notification_assessed' THEN 2 WHEN 'notification_acknowledged' THEN 3
                WHEN 'notifier_feedback' THEN 4 WHEN 'assessment_started' THEN 5
                WHEN 'child_conversation' THEN 6 WHEN 'conversation_waived' THEN 7
                WHEN 'assessment_updated' THEN 8 WHEN 'assessment_completed' THEN 9
                WHEN 'decision' THEN 10 WHEN 'plan_made' THEN 11 WHEN 'measure_started' THEN 12
                WHEN 'follow_up' THEN 13 WHEN 'supervision_visit' THEN 14
                WHEN 'measure_ended' THEN 15 WHEN 'aftercare_decision' THEN 16
                WHEN 'case_closed' THEN 17 WHEN 'case_reopened' THEN 18 WHEN 'exemption' THEN 19
              END AS TEXT), 2)
           || e.sort_id AS order_key
  FROM stored_event e
  CROSS JOIN as_of p
  WHERE e.at <= p.as_of_end AND e.type <> 'retraction'
    AND e.event_id NOT IN (SELECT ref FROM retracted)
),

-- The events the rules read, one set per kind, each read straight from `event` and materialized
-- once.
notification AS MATERIALIZED (
  SELECT * FROM event WHERE type = 'notification_received'
),
professional_notification AS MATERIALIZED (
  SELECT * FROM event WHERE type = 'notification_received' AND professional = 1
),
notification_assessment AS MATERIALIZED (
  SELECT * FROM event WHERE type = 'notification_assessed'
),
notification_acknowledgement AS MATERIALIZED (
  SELECT * FROM event WHERE type = 'notification_acknowledged'
),
notifier_feedback AS MATERIALIZED (
  SELECT * FROM event WHERE type = 'notifier_feedback'
),
assessment_start AS MATERIALIZED (
  SELECT * FROM event WHERE type = 'assessment_started'
),
assessment_completion AS MATERIALIZED (
  SELECT * FROM event WHERE type = 'assessment_completed'
),
-- What assessment_made counts (an assessment started or updated) and what
-- assessment_before_decision counts (an assessment completed or updated).
assessment_made_event AS MATERIALIZED (
  SELECT * FROM event WHERE type IN ('assessment_started', 'assessment_updated')
),
assessment_done_event AS MATERIALIZED (
  SELECT * FROM event WHERE type IN ('assessment_completed', 'assessment_updated')
),
-- Child conversations, and registered waivers of one, by the context they were held in.
assessment_conversation AS MATERIALIZED (
  SELECT * FROM event
  WHERE type IN ('child_conversation', 'conversation_waived') AND context = 'assessment'
),
decision_conversation AS MATERIALIZED (
  SELECT * FROM event
  WHERE type IN ('child_conversation', 'conversation_waived') AND context = 'decision'
),
supervision_conversation AS MATERIALIZED (
  SELECT * FROM event
  WHERE type IN ('child_conversation', 'conversation_waived') AND context = 'supervision'
),
decision AS MATERIALIZED (
  SELECT * FROM event WHERE type = 'decision'
),
grant_decision AS MATERIALIZED (
  SELECT * FROM event WHERE type = 'decision' AND decision = 'grant'
),
plan AS MATERIALIZED (
  SELECT * FROM event WHERE type = 'plan_made'
),
measure_start AS MATERIALIZED (
  SELECT * FROM event WHERE type = 'measure_started'
),
placement_start AS MATERIALIZED (
  SELECT * FROM event WHERE type = 'measure_started' AND placement = 1
),
follow_up AS MATERIALIZED (
  SELECT * FROM event WHERE type = 'follow_up'
),
supervision_visit AS MATERIALIZED (
  SELECT * FROM event WHERE type = 'supervision_visit'
),
exemption AS MATERIALIZED (
  SELECT DISTINCT rule_id, ref FROM event WHERE type = 'exemption'
),
-- A measure ends at its first measure_ended; the end date is a day it runs.
measure_ended AS MATERIALIZED (
  SELECT child_id, measure_id, at, day, order_key FROM event WHERE type = 'measure_ended'
),
measure_end AS (
  SELECT * FROM measure_ended
  WHERE order_key IN (SELECT MIN(order_key) FROM measure_ended GROUP BY child_id, measure_id)
),
-- A measure's type: from its first measure_started, else from its first decision.
typed_measure_event AS MATERIALIZED (
  SELECT child_id, measure_id, measure_type,
         CASE type WHEN 'measure_started' THEN '0' ELSE '1' END || order_key AS preference
  FROM event
  WHERE type IN ('measure_started', 'decision') AND measure_type IS NOT NULL
),
measure_kind AS (
  SELECT child_id, measure_id, measure_type FROM typed_measure_event
  WHERE preference IN (SELECT MIN(preference) FROM typed_measure_event
                       GROUP BY child_id, measure_id)
),

-- One CTE per rule, each row one obligation: the rule, the child, the trigger, the due date
-- (due_day; due_at too where the deadline is an instant rather than the end of a day), the
-- fulfilling event (its key and date; for an hours deadline also its instant and whether it was
-- given as a date only), for rules that cease with their measure the day the measure ended, and
-- for hours rules whether the clock started at a date only. Where several events could fulfil an
-- obligation, the first of them does (MIN(order_key)).

-- Underretning vurderet inden 24 timer: 24 hours round the clock from the notification. The due
-- time's local date is the next day's, or one either side when the clocks change in between.
notification_assessed_24h AS (
  SELECT 'notification_assessed_24h' AS rule_id, n.child_id, n.event_id AS trigger_id,
         CASE WHEN n.at + 24 * 3600 < c.starts_at THEN c.day - 1
              WHEN n.at + 24 * 3600 > c.ends_at THEN c.day + 1
              ELSE c.day END AS due_day,
         n.at + 24 * 3600 AS due_at, f.order_key AS fulfilment_key, f.day AS fulfilment_day,
         f.at AS fulfilment_at, f.date_only AS fulfilment_date_only,
         CAST(NULL AS INTEGER) AS measure_end_day, 1 AS hours, n.date_only AS clock_date_only
  FROM notification n
  LEFT JOIN calendar c ON c.day = n.day + 1
  LEFT JOIN (SELECT ref, MIN(order_key) AS order_key FROM notification_assessment
             GROUP BY ref) AS a ON a.ref = n.event_id
  LEFT JOIN notification_assessment f ON f.order_key = a.order_key
),
-- Kvittering til fagperson inden 6 hverdage: end of the 6th weekday after the notification's date.
notification_receipt_6_weekdays AS (
  SELECT 'notification_receipt_6_weekdays' AS rule_id, n.child_id, n.event_id AS trigger_id,
         due.day AS due_day, CAST(NULL AS BIGINT) AS due_at, a.order_key AS fulfilment_key,
         a.day AS fulfilment_day, CAST(NULL AS BIGINT) AS fulfilment_at, CAST(NULL AS INTEGER) AS fulfilment_date_only,
         CAST(NULL AS INTEGER) AS measure_end_day, 0 AS hours, 0 AS clock_date_only
  FROM professional_notification n
  LEFT JOIN calendar c ON c.day = n.day
  LEFT JOIN calendar due ON due.weekday_number = c.weekday_number + 6 AND due.is_weekday = 1
  LEFT JOIN (SELECT ref, MIN(order_key) AS order_key, MIN(day) AS day
             FROM notification_acknowledgement GROUP BY ref) AS a ON a.ref = n.event_id
),
-- Tilbagemelding til fagperson: the local standard's months after the notification's date (the
-- same day of the month, or the month's last day where it has no such day).
professional_feedback AS (
  SELECT 'professional_feedback' AS rule_id, n.child_id, n.event_id AS trigger_id,
         m.first_day - 1 + CASE WHEN n.day_of_month < m.length THEN n.day_of_month
                                ELSE m.length END AS due_day,
         CAST(NULL AS BIGINT) AS due_at, a.order_key AS fulfilment_key,
         a.day AS fulfilment_day, CAST(NULL AS BIGINT) AS fulfilment_at, CAST(NULL AS INTEGER) AS fulfilment_date_only,
         CAST(NULL AS INTEGER) AS measure_end_day, 0 AS hours, 0 AS clock_date_only
  FROM professional_notification n
  CROSS JOIN as_of p
  LEFT JOIN calendar_month m ON m.month_index = n.month_index + p.feedback_months
  LEFT JOIN (SELECT ref, MIN(order_key) AS order_key, MIN(day) AS day FROM notifier_feedback
             GROUP BY ref) AS a ON a.ref = n.event_id
),
-- Børnefaglig undersøgelse afsluttet inden 4 måneder: 4 months from the notification the
-- assessment names (else from its own start), fulfilled by the first completion after the start.
assessment_within_4_months AS (
  SELECT 'assessment_within_4_months' AS rule_id, s.child_id, s.event_id AS trigger_id,
         m.first_day - 1 + CASE WHEN COALESCE(n.day_of_month, s.day_of_month) < m.length
                                THEN COALESCE(n.day_of_month, s.day_of_month)
                                ELSE m.length END AS due_day,
         CAST(NULL AS BIGINT) AS due_at, f.order_key AS fulfilment_key, f.day AS fulfilment_day,
         CAST(NULL AS BIGINT) AS fulfilment_at, CAST(NULL AS INTEGER) AS fulfilment_date_only,
         CAST(NULL AS INTEGER) AS measure_end_day, 0 AS hours, 0 AS clock_date_only
  FROM assessment_start s
  LEFT JOIN notification n ON n.event_id = s.ref
  LEFT JOIN calendar_month m ON m.month_index = COALESCE(n.month_index, s.month_index) + 4
  LEFT JOIN (SELECT s.event_id, MIN(c.order_key) AS order_key, MIN(c.day) AS day
             FROM assessment_start s
             JOIN assessment_completion c ON c.child_id = s.child_id
                                         AND c.order_key > s.order_key
             GROUP BY s.event_id) AS f ON f.event_id = s.event_id
),
-- Samtale med barnet som led i undersøgelsen: a conversation (or waiver) in the context of the
-- assessment, after the latest assessment started before the completion (from the beginning if
-- none) and before the completion.
assessment_window AS (
  SELECT c.event_id, c.child_id, c.day, c.order_key, MAX(s.order_key) AS since_key
  FROM assessment_completion c
  LEFT JOIN assessment_start s ON s.child_id = c.child_id AND s.order_key < c.order_key
  GROUP BY c.event_id, c.child_id, c.day, c.order_key
),
conversation_in_assessment AS (
  SELECT 'conversation_in_assessment' AS rule_id, w.child_id, w.event_id AS trigger_id,
         w.day AS due_day, CAST(NULL AS BIGINT) AS due_at, MIN(v.order_key) AS fulfilment_key,
         MIN(v.day) AS fulfilment_day, CAST(NULL AS BIGINT) AS fulfilment_at, CAST(NULL AS INTEGER) AS fulfilment_date_only,
         CAST(NULL AS INTEGER) AS measure_end_day, 0 AS hours, 0 AS clock_date_only
  FROM assessment_window w
  LEFT JOIN assessment_conversation v ON v.child_id = w.child_id
                                     AND v.order_key > COALESCE(w.since_key, '')
                                     AND v.order_key < w.order_key
  GROUP BY w.child_id, w.event_id, w.day
),
-- For the two assessment rules: each grant's window, from the child's previous grant (a grant at
-- an earlier instant; from the beginning if none) to the grant. Every grant opens a window, also
-- one that itself needs no assessment.
grant_window AS (
  SELECT g.event_id, g.child_id, g.day, g.law, g.placement, g.order_key,
         MAX(previous.order_key) AS since_key
  FROM grant_decision g
  LEFT JOIN grant_decision previous ON previous.child_id = g.child_id AND previous.at < g.at
  GROUP BY g.event_id, g.child_id, g.day, g.law, g.placement, g.order_key
),
-- Børnefaglig undersøgelse udarbejdet eller opdateret: an assessment started or updated in the
-- window of a grant (under Barnets Lov, of a placement).
assessment_made AS (
  SELECT 'assessment_made' AS rule_id, w.child_id, w.event_id AS trigger_id, w.day AS due_day,
         CAST(NULL AS BIGINT) AS due_at, MIN(a.order_key) AS fulfilment_key,
         MIN(a.day) AS fulfilment_day, CAST(NULL AS BIGINT) AS fulfilment_at, CAST(NULL AS INTEGER) AS fulfilment_date_only,
         CAST(NULL AS INTEGER) AS measure_end_day, 0 AS hours, 0 AS clock_date_only
  FROM grant_window w
  LEFT JOIN assessment_made_event a ON a.child_id = w.child_id
                                   AND a.order_key > COALESCE(w.since_key, '')
                                   AND a.order_key < w.order_key
  WHERE w.law = 'SEL' OR w.placement = 1
  GROUP BY w.child_id, w.event_id, w.day
),
-- Undersøgelse afsluttet eller opdateret inden afgørelsen: an assessment completed or updated in
-- the same window.
assessment_before_decision AS (
  SELECT 'assessment_before_decision' AS rule_id, w.child_id, w.event_id AS trigger_id,
         w.day AS due_day, CAST(NULL AS BIGINT) AS due_at, MIN(a.order_key) AS fulfilment_key,
         MIN(a.day) AS fulfilment_day, CAST(NULL AS BIGINT) AS fulfilment_at, CAST(NULL AS INTEGER) AS fulfilment_date_only,
         CAST(NULL AS INTEGER) AS measure_end_day, 0 AS hours, 0 AS clock_date_only
  FROM grant_window w
  LEFT JOIN assessment_done_event a ON a.child_id = w.child_id
                                   AND a.order_key > COALESCE(w.since_key, '')
                                   AND a.order_key < w.order_key
  WHERE w.law = 'SEL' OR w.placement = 1
  GROUP BY w.child_id, w.event_id, w.day
),
-- Begrundet stillingtagen til foranstaltning: the grant or change itself states its reasoning.
reasoned_decision AS (
  SELECT 'reasoned_decision' AS rule_id, d.child_id, d.event_id AS trigger_id, d.day AS due_day,
         CAST(NULL AS BIGINT) AS due_at,
         CASE WHEN d.reasoned = 1 THEN d.order_key END AS fulfilment_key,
         CASE WHEN d.reasoned = 1 THEN d.day END AS fulfilment_day, CAST(NULL AS BIGINT) AS fulfilment_at, CAST(NULL AS INTEGER) AS fulfilment_date_only,
         CAST(NULL AS INTEGER) AS measure_end_day, 0 AS hours, 0 AS clock_date_only
  FROM decision d
  WHERE d.decision IN ('grant', 'change')
),
-- Børnesamtale forud for afgørelsen: a conversation (or waiver) in the context of a decision, for
-- this measure or none named, after the child's previous decision of any kind (one at an earlier
-- instant; from the beginning if none) and before this one.
conversation_before_decision AS (
  SELECT 'conversation_before_decision' AS rule_id, w.child_id, w.event_id AS trigger_id,
         w.day AS due_day, CAST(NULL AS BIGINT) AS due_at, MIN(v.order_key) AS fulfilment_key,
         MIN(v.day) AS fulfilment_day, CAST(NULL AS BIGINT) AS fulfilment_at, CAST(NULL AS INTEGER) AS fulfilment_date_only,
         CAST(NULL AS INTEGER) AS measure_end_day, 0 AS hours, 0 AS clock_date_only
  FROM (SELECT d.event_id, d.child_id, d.day, d.measure_id, d.order_key,
               MAX(previous.order_key) AS since_key
        FROM decision d
        LEFT JOIN decision previous ON previous.child_id = d.child_id AND previous.at < d.at
        WHERE d.decision IN ('grant', 'change', 'end')
        GROUP BY d.event_id, d.child_id, d.day, d.measure_id, d.order_key) AS w
  LEFT JOIN decision_conversation v ON v.child_id = w.child_id
                                   AND (v.measure_id IS NULL OR v.measure_id = w.measure_id)
                                   AND v.order_key > COALESCE(w.since_key, '')
                                   AND v.order_key < w.order_key
  GROUP BY w.child_id, w.event_id, w.day
),
-- Handleplan / barnets plan: the first plan for the measure, made at any time; due with the
-- decision under Serviceloven, 3 months after it (placements only) under Barnets Lov.
plan_for_measure AS (
  SELECT 'plan_for_measure' AS rule_id, g.child_id, g.event_id AS trigger_id,
         CASE WHEN g.law = 'SEL' THEN g.day
              ELSE m.first_day - 1 + CASE WHEN g.day_of_month < m.length THEN g.day_of_month
                                          ELSE m.length END
         END AS due_day,
         CAST(NULL AS BIGINT) AS due_at, p.order_key AS fulfilment_key, p.day AS fulfilment_day,
         CAST(NULL AS BIGINT) AS fulfilment_at, CAST(NULL AS INTEGER) AS fulfilment_date_only,
         CAST(NULL AS INTEGER) AS measure_end_day, 0 AS hours, 0 AS clock_date_only
  FROM grant_decision g
  LEFT JOIN calendar_month m ON m.month_index = g.month_index + 3
  LEFT JOIN (SELECT child_id, measure_id, MIN(order_key) AS order_key, MIN(day) AS day FROM plan
             GROUP BY child_id, measure_id) AS p
         ON p.child_id = g.child_id AND p.measure_id = g.measure_id
  WHERE g.law = 'SEL' OR g.placement = 1
),
-- Planen angiver den nødvendige indsats: the plan itself states the effort.
plan_states_effort AS (
  SELECT 'plan_states_effort' AS rule_id, p.child_id, p.event_id AS trigger_id, p.day AS due_day,
         CAST(NULL AS BIGINT) AS due_at,
         CASE WHEN p.states_effort = 1 THEN p.order_key END AS fulfilment_key,
         CASE WHEN p.states_effort = 1 THEN p.day END AS fulfilment_day, CAST(NULL AS BIGINT) AS fulfilment_at, CAST(NULL AS INTEGER) AS fulfilment_date_only,
         CAST(NULL AS INTEGER) AS measure_end_day, 0 AS hours, 0 AS clock_date_only
  FROM plan p
),
-- Første opfølgning inden 3 måneder: the first follow-up of the measure after its start; ceases
-- when the measure ends by the due date.
first_follow_up_3_months AS (
  SELECT 'first_follow_up_3_months' AS rule_id, s.child_id, s.event_id AS trigger_id,
         m.first_day - 1 + CASE WHEN s.day_of_month < m.length THEN s.day_of_month
                                ELSE m.length END AS due_day,
         CAST(NULL AS BIGINT) AS due_at, f.order_key AS fulfilment_key, f.day AS fulfilment_day,
         CAST(NULL AS BIGINT) AS fulfilment_at, CAST(NULL AS INTEGER) AS fulfilment_date_only,
         e.day AS measure_end_day, 0 AS hours, 0 AS clock_date_only
  FROM measure_start s
  LEFT JOIN calendar_month m ON m.month_index = s.month_index + 3
  LEFT JOIN (SELECT s.event_id, MIN(f.order_key) AS order_key, MIN(f.day) AS day
             FROM measure_start s
             JOIN follow_up f ON f.child_id = s.child_id AND f.measure_id = s.measure_id
                             AND f.order_key > s.order_key
             GROUP BY s.event_id) AS f ON f.event_id = s.event_id
  LEFT JOIN measure_end e ON e.child_id = s.child_id AND e.measure_id = s.measure_id
),
-- Opfølgning mindst hver 6. måned: each follow-up of a measure not ended before it needs the next
-- one within 6 months (Barnets Lov: the service catalogue's interval for the measure's type, 6
-- months where it sets none); ceases when the measure ends by the due date.
follow_up_6_months AS (
  SELECT 'follow_up_6_months' AS rule_id, f.child_id, f.event_id AS trigger_id,
         m.first_day - 1 + CASE WHEN f.day_of_month < m.length THEN f.day_of_month
                                ELSE m.length END AS due_day,
         CAST(NULL AS BIGINT) AS due_at, f.next_key AS fulfilment_key, f.next_day AS fulfilment_day,
         CAST(NULL AS BIGINT) AS fulfilment_at, CAST(NULL AS INTEGER) AS fulfilment_date_only,
         e.day AS measure_end_day, 0 AS hours, 0 AS clock_date_only
  FROM (SELECT f.*,
               LEAD(f.order_key) OVER next_follow_up AS next_key,
               LEAD(f.day) OVER next_follow_up AS next_day
        FROM follow_up f
        WINDOW next_follow_up AS (PARTITION BY f.child_id, f.measure_id ORDER BY f.order_key))
       AS f
  LEFT JOIN measure_end e ON e.child_id = f.child_id AND e.measure_id = f.measure_id
  LEFT JOIN measure_kind k ON k.child_id = f.child_id AND k.measure_id = f.measure_id
  LEFT JOIN follow_up_interval i ON i.measure_type = k.measure_type
  LEFT JOIN calendar_month m
         ON m.month_index = f.month_index
                            + CASE WHEN f.law = 'SEL' THEN 6 ELSE COALESCE(i.months, 6) END
  WHERE e.order_key IS NULL OR e.order_key > f.order_key
),
-- Personrettet tilsyn mindst 2 gange årligt: one obligation per calendar year (up to the as-of
-- year) in which a placement runs, from its start date to its end date, both counted (a placement
-- whose end is registered before its start runs on no day); due at the end of the year or of the
-- placement's last day; 2 visits for a whole year, else ceil(2 × days placed ÷ days in the year);
-- fulfilled by the visit that reaches the number.
placement_year AS (
  SELECT s.child_id, s.event_id AS trigger_id, s.measure_id, y.year,
         CASE WHEN e.day IS NOT NULL AND e.day < y.last_day THEN e.day ELSE y.last_day END
           AS last_placed,
         (2 * ((CASE WHEN e.day IS NOT NULL AND e.day < y.last_day THEN e.day ELSE y.last_day END)
               - (CASE WHEN s.day > y.first_day THEN s.day ELSE y.first_day END) + 1)
          + y.length - 1) / y.length AS required_visits
  FROM placement_start s
  CROSS JOIN as_of p
  LEFT JOIN measure_end e ON e.child_id = s.child_id AND e.measure_id = s.measure_id
  JOIN calendar_year y ON y.last_day >= s.day AND (e.day IS NULL OR y.first_day <= e.day)
                      AND y.year <= p.as_of_year
  WHERE e.day IS NULL OR e.day >= s.day
),
numbered_visit AS (
  SELECT child_id, measure_id, month_index / 12 AS year, order_key, day,
         ROW_NUMBER() OVER (PARTITION BY child_id, measure_id, month_index / 12
                            ORDER BY order_key) AS number_in_year
  FROM supervision_visit
),
supervision_twice_yearly AS (
  SELECT 'supervision_twice_yearly' AS rule_id, y.child_id, y.trigger_id, y.last_placed AS due_day,
         CAST(NULL AS BIGINT) AS due_at, v.order_key AS fulfilment_key, v.day AS fulfilment_day,
         CAST(NULL AS BIGINT) AS fulfilment_at, CAST(NULL AS INTEGER) AS fulfilment_date_only,
         CAST(NULL AS INTEGER) AS measure_end_day, 0 AS hours, 0 AS clock_date_only
  FROM placement_year y
  LEFT JOIN numbered_visit v ON v.child_id = y.child_id AND v.measure_id = y.measure_id
                            AND v.year = y.year AND v.number_in_year = y.required_visits
),
-- Samtale med barnet ved tilsynsbesøg: a conversation (or waiver) in the context of supervision on
-- the visit's date.
supervision_with_conversation AS (
  SELECT 'supervision_with_conversation' AS rule_id, v.child_id, v.event_id AS trigger_id,
         v.day AS due_day, CAST(NULL AS BIGINT) AS due_at, MIN(c.order_key) AS fulfilment_key,
         MIN(c.day) AS fulfilment_day, CAST(NULL AS BIGINT) AS fulfilment_at, CAST(NULL AS INTEGER) AS fulfilment_date_only,
         CAST(NULL AS INTEGER) AS measure_end_day, 0 AS hours, 0 AS clock_date_only
  FROM supervision_visit v
  LEFT JOIN supervision_conversation c ON c.child_id = v.child_id AND c.day = v.day
  GROUP BY v.child_id, v.event_id, v.day
),
-- Afgørelse om efterværn / ungestøtte: due the day the child is 17 years and 6 months old (birth
-- date + 210 months), for the child's earliest placement running on that day as far as is known:
-- started by then and not ended before it. Before that day, that is a placement with no known end,
-- and it counts only from 12 months before the day. A day the calendar does not reach is more
-- than 12 months after the as-of date, or before any event. Fulfilled by the child's first
-- aftercare decision, made at any time.
aftercare_day AS (
  SELECT ch.child_id, m.month_index,
         m.first_day - 1 + CASE WHEN ch.birth_day_of_month < m.length THEN ch.birth_day_of_month
                                ELSE m.length END AS due_day,
         CASE WHEN ch.birth_day_of_month < m.length THEN ch.birth_day_of_month ELSE m.length END
           AS day_of_month
  FROM child ch
  JOIN calendar_month m ON m.month_index = ch.birth_month_index + 210
),
aftercare_trigger AS (
  SELECT a.child_id, a.due_day, MIN(s.order_key) AS trigger_key
  FROM aftercare_day a
  CROSS JOIN as_of p
  LEFT JOIN calendar_month notice ON notice.month_index = a.month_index - 12
  JOIN placement_start s ON s.child_id = a.child_id AND s.day <= a.due_day
  LEFT JOIN measure_end e ON e.child_id = s.child_id AND e.measure_id = s.measure_id
  WHERE (e.day IS NULL OR e.day >= a.due_day)
    AND (a.due_day <= p.as_of_day OR notice.first_day IS NULL
         OR notice.first_day - 1 + CASE WHEN a.day_of_month < notice.length THEN a.day_of_month
                                        ELSE notice.length END <= p.as_of_day)
  GROUP BY a.child_id, a.due_day
),
aftercare_decision AS (
  SELECT 'aftercare_decision' AS rule_id, t.child_id, s.event_id AS trigger_id, t.due_day,
         CAST(NULL AS BIGINT) AS due_at, f.order_key AS fulfilment_key, f.day AS fulfilment_day,
         CAST(NULL AS BIGINT) AS fulfilment_at, CAST(NULL AS INTEGER) AS fulfilment_date_only,
         CAST(NULL AS INTEGER) AS measure_end_day, 0 AS hours, 0 AS clock_date_only
  FROM aftercare_trigger t
  JOIN placement_start s ON s.order_key = t.trigger_key
  LEFT JOIN (SELECT child_id, MIN(order_key) AS order_key, MIN(day) AS day FROM event
             WHERE type = 'aftercare_decision' GROUP BY child_id) AS f ON f.child_id = t.child_id
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

-- Status, in this order: met on time; exempted; not applicable (the measure ended by the due
-- date); met late; overdue (due before the end of the as-of date); open. Most deadlines are the
-- end of a day, 23:59:59 local time: an event is in time for one when its local date is not
-- after the due date (the first fulfilling event, having the earliest instant, has the earliest
-- date). Against an hours deadline, a timed fulfilment is on time when its instant is not after
-- the due time, a date-only one when its date is not after the due date; such an obligation rests
-- on a date alone (time_assumed) when its clock started, or its fulfilment came, at a date only.
-- The fulfilling event's id is its key less the instant and type that lead it. Status is NULL
-- where the calendar does not reach the due date, so that the caller can refuse the answer.
judged AS (
  SELECT o.rule_id, o.child_id, o.trigger_id, o.due_day, o.due_at,
         substr(o.fulfilment_key, 14) AS fulfilment_id,
         CASE WHEN o.fulfilment_key IS NULL THEN NULL
              WHEN o.due_at IS NULL OR o.fulfilment_date_only = 1 THEN
                CASE WHEN o.fulfilment_day <= o.due_day THEN 1 ELSE 0 END
              WHEN o.fulfilment_at <= o.due_at THEN 1
              ELSE 0 END AS on_time,
         CASE WHEN x.ref IS NULL THEN 0 ELSE 1 END AS exempted,
         o.measure_end_day,
         CASE WHEN o.hours = 1 AND (o.clock_date_only = 1 OR o.fulfilment_date_only = 1) THEN 1
              ELSE 0 END AS time_assumed
  FROM obligation o
  LEFT JOIN exemption x ON x.rule_id = o.rule_id AND x.ref = o.trigger_id
),
obligation_status AS (
  SELECT j.rule_id, j.child_id, j.trigger_id, j.due_day, j.due_at, j.fulfilment_id,
         j.time_assumed,
         CASE WHEN j.due_day IS NULL THEN NULL
              WHEN j.on_time = 1 THEN 'met'
              WHEN j.exempted = 1 THEN 'exempted'
              WHEN j.measure_end_day <= j.due_day THEN 'not_applicable'
              WHEN j.on_time = 0 THEN 'met_late'
              WHEN j.due_at IS NULL AND j.due_day < p.as_of_day THEN 'overdue'
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
