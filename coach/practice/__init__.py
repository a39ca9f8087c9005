"""The mock interview itself, with no Qt: take lifecycle, follow-up policy, worker processes.

Driven by plain method calls (start_answering, done_answering, tick, ...) and reporting by
events (coach.practice.events), so the Qt window (coach.ui.controller), a test or a future
hands-free mode can all drive the same interview. Background work goes through an injected
`Executor` (coach.practice.executor); hardware through the Protocols of coach.ports.
"""
