"""The benchmark the repo owns (docs/benchmarks.md): a development-only Django app.

Not part of the wheel (pyproject includes newsreview* and articles* only); newsreview/settings.py
installs it when it is importable, which gives a checkout `manage.py benchmark`.

corpus.py      the generated articles and their ground truth
run.py         one run: fresh database, import, pages, exports
importing.py   the import row
pages.py       the review page, label POST and queue rows
exports.py     the CSV export rows, each in a child process (`python -m bench.exports`)
boilerplate.py `--boilerplate`: the boilerplate suggestions' recall, false positives and cost
measure.py     how a request is timed
machine.py     calibration loop, environment, memory and CPU readings
database.py    the fresh database and the settings for in-process requests
report.py      the table and the JSON (read by tables.py)

export_memory.py and tables.py are scripts, run by path.
"""
