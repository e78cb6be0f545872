-- Who works on an operation is the PID and the process's start (boot id and start time):
-- a PID the kernel gave to another process since, or after a reboot, does not pass for the
-- owner, so the work of a dead owner is finished instead of waited for.
ALTER TABLE operations ADD COLUMN owner_started TEXT;
