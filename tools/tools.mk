# tools/: host programs (femto-as, femto-run, femto-conformance-plugin, ...).
PROGRAMS +=
