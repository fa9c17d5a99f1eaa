from django.dispatch import Signal

# Sent once after the commit of each transaction that changed data (`core.changes`), with
# `senders`, the models the services said they changed. Upper apps (the dashboard) connect
# to it in their `apps.py`, so that the apps that write never import them.
data_committed = Signal()
