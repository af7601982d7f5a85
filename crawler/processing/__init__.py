"""Work on fetched pages off the reactor: the normaliser worker and syndicated-copy linking."""
