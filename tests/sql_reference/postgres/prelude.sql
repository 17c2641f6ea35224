-- The PostgreSQL half of the SQL reference: the parameters, the calendar and the stored tables in
-- the dialect-neutral form the shared queries read (see ../README.md). Days are day numbers (days
-- since 1970-01-01), instants are seconds since 1970-01-01 UTC, flags are 1, 0 or NULL.
-- Parameters: $1 the as-of date, $2 and $3 the period's first and last date (day numbers); $4 the
-- local standard for feedback to professional notifiers, in months; $5 the calendar as JSON,
-- [[day, is_weekday, utc_offset_at_local_midnight], …], whole years; $6 the service catalogue's
-- follow-up intervals as JSON, [[measure_type, months], …].
WITH
parameter AS (
  SELECT CAST($1 AS integer) AS as_of_day,
         CAST($2 AS integer) AS period_from,
         CAST($3 AS integer) AS period_to,
         CAST($4 AS integer) AS feedback_months
),
calendar_input AS (
  SELECT day, is_weekday, midnight_offset,
         CAST(extract(year FROM DATE '1970-01-01' + day) AS integer) AS year,
         CAST(extract(year FROM DATE '1970-01-01' + day) * 12
              + extract(month FROM DATE '1970-01-01' + day) - 1 AS integer) AS month_index,
         CAST(extract(day FROM DATE '1970-01-01' + day) AS integer) AS day_of_month
  FROM (SELECT CAST(c ->> 0 AS integer) AS day,
               CAST(c ->> 1 AS integer) AS is_weekday,
               CAST(c ->> 2 AS integer) AS midnight_offset
        FROM json_array_elements(CAST($5 AS json)) AS c) AS input
),
follow_up_interval AS (
  SELECT c ->> 0 AS measure_type, CAST(c ->> 1 AS integer) AS months
  FROM json_array_elements(CAST($6 AS json)) AS c
),
-- Event ids sort byte by byte (COLLATE "C"), as in SQLite and the engine.
stored_event AS NOT MATERIALIZED (
  SELECT event_id, event_id COLLATE "C" AS sort_id, child_id, type, at,
         CAST(date_only AS integer) AS date_only, day - DATE '1970-01-01' AS day,
         CAST(extract(year FROM day) * 12 + extract(month FROM day) - 1 AS integer) AS month_index,
         CAST(extract(day FROM day) AS integer) AS day_of_month,
         worker_id, ref, measure_id, measure_type, CAST(placement AS integer) AS placement,
         CAST(professional AS integer) AS professional, context, decision,
         CAST(reasoned AS integer) AS reasoned, CAST(states_effort AS integer) AS states_effort,
         rule_id
  FROM events
),
child AS (
  SELECT child_id, unit_id,
         CAST(extract(year FROM birth_date) * 12 + extract(month FROM birth_date) - 1 AS integer)
           AS birth_month_index,
         CAST(extract(day FROM birth_date) AS integer) AS birth_day_of_month
  FROM children
)
