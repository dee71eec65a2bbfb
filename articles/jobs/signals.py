"""What the job system tells other features (webhooks), so that they never import each other."""

from django.dispatch import Signal

# Sent when a background import ends, finished or interrupted: sender=ImportRun, run=<ImportRun>.
import_finished = Signal()
