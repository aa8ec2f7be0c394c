"""claimdesk's benchmarks: ``python -m bench`` runs them all (see docs/benchmarks.md).

Figures are printed, never asserted by tests. Anything read from ../shared/data is read
at run time and never written into the project.
"""
