"""Resident mode: `k8slint check --resident` (or K8SLINT_RESIDENT=1) hands the run to a warm
server instead of importing everything again, as Mercurial's chg, dmypy and eslint_d do.

The console script is then a small client (client.py: no click, YAML or engine import)
that connects to a per-user Unix socket named by a key of the install, and passes its
stdin, stdout and stderr (SCM_RIGHTS), argv, cwd, environment and umask. The server
(server.py), started detached by the first client that finds none, has everything
imported and warmed up; a forked child per request takes the client's file descriptors
and state and runs the normal CLI, so the output is the same bytes as a run in the
client's own process; its exit code goes back to the client. Anything that goes wrong
before the child accepts the request makes the client run the check itself, as without
--resident.
"""
