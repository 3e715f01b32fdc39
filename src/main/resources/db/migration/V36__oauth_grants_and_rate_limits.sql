-- OAuth 2.0 authorization-code grants of REST systems (auth.type oauth2-authorization-code): the
-- refresh token the provider issued last (it rotates at each use, so it is kept here, not in the
-- environment), the access token and when it expires, each sealed with AES-GCM under the key in
-- SYNCLINE_TOKEN_KEY. A replica refreshes under this row's lock, so that one refresh token is spent
-- once; the others read the new access token. consent_needed says why the grant is unusable (the
-- provider answered invalid_grant) until an operator gives consent again; consent_state is the
-- state parameter of a consent under way, kept as its SHA-256 digest.
CREATE TABLE oauth_grant (
    system_name        VARCHAR(200)             NOT NULL PRIMARY KEY,
    refresh_token      TEXT,
    access_token       TEXT,
    access_expires_at  TIMESTAMP WITH TIME ZONE,
    refreshed_count    BIGINT                   NOT NULL DEFAULT 0,
    consent_needed     VARCHAR(1000),
    consent_state      VARCHAR(64),
    consent_started_at TIMESTAMP WITH TIME ZONE,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX oauth_grant_consent_state_idx ON oauth_grant (consent_state);

-- The shared pace of requests to each system with a rateLimit, for all replicas together (a
-- generic cell rate algorithm, GCRA): earliest_at is the theoretical time of the next request in
-- epoch microseconds. A replica may send when earliest_at is at most its clock plus the burst's
-- tolerance, and sends only after one UPDATE has moved earliest_at on by one request's interval.
CREATE TABLE rate_limit (
    system_name VARCHAR(200) NOT NULL PRIMARY KEY,
    earliest_at BIGINT       NOT NULL
);
