#!/usr/bin/env bash
# Backfill of related records (docs/backfill.md#related-records) into PostgreSQL tables with
# foreign keys, through the whole apply path: C companies, 5·C contacts (each naming its company)
# and 2·C deals (naming a contact and its company); one contact names a company the ERP does not
# have. A dry run and then the run from it; for each it prints records/s over the whole job and,
# per entity, what it counted (the dry run's unresolved references among them), then checks that
# billing holds every record once with each reference pointing at billing's own id of its parent.
# Usage: bench/backfill-related.sh [companies]   (default 10,000: 50,000 contacts, 20,000 deals)
# Environment: BENCH_DATABASE (default syncline_bench_related, dropped and created again),
#   BENCH_PORT, BENCH_JAVA_OPTS (default -Xmx256m), BENCH_JAR (another build), and application
#   settings as environment variables, passed on unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

C=${1:-10000}
CONTACTS=$((C * 5))
DEALS=$((C * 2))
DATABASE=${BENCH_DATABASE:-syncline_bench_related}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx256m}

bench_jar
bench_database "$DATABASE"
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); $C companies, $CONTACTS contacts, $DEALS deals;" \
    "JVM options $BENCH_JAVA_OPTS"
ROUTES=$PWD/bench/backfill-related-routes bench_start "$DATABASE" bench-backfill-related \
    SYNCLINE_RECONCILIATION_SCHEDULES_ENABLED=false SYNCLINE_BACKFILL_CLAIM_INTERVAL=200ms
bench_autovacuum_standin "$DATABASE"
psql -q -d "$DATABASE" <<SQL
CREATE TABLE bench_erp_company (id VARCHAR(20) PRIMARY KEY, name VARCHAR(100));
CREATE TABLE bench_erp_contact (id VARCHAR(20) PRIMARY KEY, email VARCHAR(100), company_id VARCHAR(20));
CREATE TABLE bench_erp_deal (id VARCHAR(20) PRIMARY KEY, title VARCHAR(100), contact_id VARCHAR(20), company_id VARCHAR(20));
INSERT INTO bench_erp_company SELECT 'co-' || lpad(g::text, 8, '0'), 'Company ' || g FROM generate_series(1, $C) g;
INSERT INTO bench_erp_contact SELECT 'ct-' || lpad(g::text, 8, '0'), 'contact' || g || '@example.com',
    'co-' || lpad((g % $C + 1)::text, 8, '0') FROM generate_series(1, $CONTACTS) g;
INSERT INTO bench_erp_contact VALUES ('ct-lost', 'lost@example.com', 'co-none');
INSERT INTO bench_erp_deal SELECT 'dl-' || lpad(g::text, 8, '0'), 'Deal ' || g, c.id, c.company_id
    FROM generate_series(1, $DEALS) g JOIN bench_erp_contact c ON c.id = 'ct-' || lpad((g % $CONTACTS + 1)::text, 8, '0');
CREATE TABLE bench_billing_company (code VARCHAR(20) PRIMARY KEY, name VARCHAR(100));
CREATE TABLE bench_billing_contact (code VARCHAR(20) PRIMARY KEY, email VARCHAR(100),
    company_code VARCHAR(20) REFERENCES bench_billing_company (code));
CREATE TABLE bench_billing_deal (code VARCHAR(20) PRIMARY KEY, title VARCHAR(100),
    contact_code VARCHAR(20) REFERENCES bench_billing_contact (code), company_code VARCHAR(20) REFERENCES bench_billing_company (code));
ANALYZE bench_erp_company; ANALYZE bench_erp_contact; ANALYZE bench_erp_deal;
SQL

# The job's counts per entity, on stderr.
entity_counts() {
    bench_job_field "$1" "'\\n'.join('  %s: read %d, %s' % (e, c['read'], c['outcomes']) for e, c in d['job']['entityCounts'].items())" >&2
}

dry=$(bench_backfill_job /admin/backfills/sales/dry-runs "$DATABASE")
entity_counts "$dry"
run=$(bench_backfill_job "/admin/backfills/sales/runs?dryRun=$dry&confirm=true" "$DATABASE")
entity_counts "$run"
psql -d "$DATABASE" -Atc "SELECT 'billing: ' || (SELECT count(*) FROM bench_billing_company) || ' companies, '
    || (SELECT count(*) FROM bench_billing_contact) || ' contacts, ' || (SELECT count(*) FROM bench_billing_deal) || ' deals; '
    || (SELECT count(*) FROM bench_erp_contact e JOIN bench_billing_contact b ON b.code = upper(e.id)
        WHERE b.company_code = upper(e.company_id)) || ' contacts and '
    || (SELECT count(*) FROM bench_erp_deal e JOIN bench_billing_deal b ON b.code = upper(e.id)
        WHERE b.contact_code = upper(e.contact_id) AND b.company_code = upper(e.company_id)) || ' deals naming the right parents'"
