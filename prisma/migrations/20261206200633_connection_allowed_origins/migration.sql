-- Binds every existing connection to the origins its credential may be sent to
-- (lib/connections/connection-origins.ts): the origins of its stored test URL and token
-- URL and, for the GitHub, Google and Slack presets, of the provider's API, test and
-- token addresses. A connection with none of those gets an empty list, which sends its
-- credential nowhere until someone with the secret sets the allowed origins.
-- Data only: `allowedOrigins` lives in the non-secret settings JSON, so the schema is unchanged.
UPDATE "connections" AS c
SET "settings" = c."settings" || jsonb_build_object('allowedOrigins', derived."origins")
FROM (
  SELECT
    c2."id",
    COALESCE(jsonb_agg(DISTINCT o."origin") FILTER (WHERE o."origin" IS NOT NULL), '[]'::jsonb) AS "origins"
  FROM "connections" AS c2
  LEFT JOIN LATERAL (
    SELECT u."url"
    FROM (
      VALUES (c2."settings" ->> 'testUrl'), (c2."settings" ->> 'tokenUrl')
    ) AS u("url")
    UNION ALL
    SELECT p."url"
    FROM (
      VALUES
        ('github', 'https://api.github.com'),
        ('github', 'https://github.com'),
        ('google', 'https://www.googleapis.com'),
        ('google', 'https://openidconnect.googleapis.com'),
        ('google', 'https://oauth2.googleapis.com'),
        ('slack', 'https://slack.com')
    ) AS p("provider", "url")
    WHERE c2."type" = 'OAUTH2_CODE' AND p."provider" = c2."settings" ->> 'provider'
  ) AS urls ON TRUE
  LEFT JOIN LATERAL (
    -- scheme and host[:port] of an http(s) URL, without any user:pass@
    SELECT regexp_match(urls."url", '^\s*(https?)://(?:[^/?#@]*@)?([^/?#\\]+)', 'i') AS "m"
  ) AS parts ON TRUE
  LEFT JOIN LATERAL (
    -- the URL standard's origin: lower case, default port dropped
    SELECT CASE
      WHEN parts."m" IS NULL THEN NULL
      ELSE lower(parts."m"[1]) || '://' ||
        regexp_replace(lower(parts."m"[2]), CASE WHEN lower(parts."m"[1]) = 'https' THEN ':443$' ELSE ':80$' END, '')
    END AS "origin"
  ) AS o ON TRUE
  GROUP BY c2."id"
) AS derived
WHERE derived."id" = c."id" AND NOT (c."settings" ? 'allowedOrigins');
