"""The benchmark behind `scripts/benchmark.sh` and BENCHMARKS.md.

`python -m benchmarks` builds the scale 1 and scale 100 datasets (`manage.py
generate_scale_data`) in throwaway PostgreSQL databases and measures, for each, in separate
Django processes (`python -m benchmarks.measure PHASE`): server time and queries per request
(`pages`), full recomputation of the dashboard next to bare SQL (`aggregates`), an import of
100,000 needs next to a bare COPY (`imports`), and throughput under load with gunicorn and wrk
(`load`). `report` turns the results into the table, with the targets, for BENCHMARKS.md.
"""
