-- The SQLite half of the SQL reference: the parameters, the calendar and the stored tables in the
-- dialect-neutral form the shared queries read (see ../README.md). Days are day numbers (days since
-- 1970-01-01), instants are seconds since 1970-01-01 UTC, flags are 1, 0 or NULL.
-- Parameters (bound by name, "$1" …): $1 the as-of date, $2 and $3 the period's first and last
-- date (day numbers); $4 the local standard for feedback to professional notifiers, in months;
-- $5 the calendar as JSON, [[day, is_weekday, utc_offset_at_local_midnight], …], whole years;
-- $6 the service catalogue's follow-up intervals as JSON, [[measure_type, months], …].
WITH
parameter AS (
  SELECT CAST($1 AS INTEGER) AS as_of_day,
         CAST($2 AS INTEGER) AS period_from,
         CAST($3 AS INTEGER) AS period_to,
         CAST($4 AS INTEGER) AS feedback_months
),
calendar_input AS (
  SELECT day, is_weekday, midnight_offset,
         CAST(strftime('%Y', day * 86400, 'unixepoch') AS INTEGER) AS year,
         CAST(strftime('%Y', day * 86400, 'unixepoch') AS INTEGER) * 12
           + CAST(strftime('%m', day * 86400, 'unixepoch') AS INTEGER) - 1 AS month_index,
         CAST(strftime('%d', day * 86400, 'unixepoch') AS INTEGER) AS day_of_month
  FROM (SELECT CAST(value ->> 0 AS INTEGER) AS day,
               CAST(value ->> 1 AS INTEGER) AS is_weekday,
               CAST(value ->> 2 AS INTEGER) AS midnight_offset
        FROM json_each($5))
),
follow_up_interval AS (
  SELECT value ->> 0 AS measure_type, CAST(value ->> 1 AS INTEGER) AS months FROM json_each($6)
),
stored_event AS NOT MATERIALIZED (
  SELECT event_id, event_id AS sort_id, child_id, type, at, date_only,
         CAST(julianday(day) - 2440587.5 AS INTEGER) AS day,
         CAST(substr(day, 1, 4) AS INTEGER) * 12 + CAST(substr(day, 6, 2) AS INTEGER) - 1
           AS month_index,
         CAST(substr(day, 9, 2) AS INTEGER) AS day_of_month,
         worker_id, ref, measure_id, measure_type, placement, professional, context, decision,
         reasoned, states_effort, rule_id
  FROM events
),
child AS (
  SELECT child_id, unit_id,
         CAST(substr(birth_date, 1, 4) AS INTEGER) * 12
           + CAST(substr(birth_date, 6, 2) AS INTEGER) - 1 AS birth_month_index,
         CAST(substr(birth_date, 9, 2) AS INTEGER) AS birth_day_of_month
  FROM children
)
