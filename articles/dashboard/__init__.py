"""The desk's dashboard (issue 16): backlog, throughput, pace and label mix over time, drawn
as SVG on the server from the daily roll-ups (articles.models.rollups) that database triggers
keep current (articles.rollup_triggers). Each chart has its numbers as a table and a CSV.

rollups.py (rebuild, the fast-run rule), filters.py (the form), figures.py (the reads),
pace.py (medians from histograms), charts.py (the SVG), csv.py, views.py.
"""
