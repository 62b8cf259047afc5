# runtime/helpers_fc.mk: the Femto-Containers device helpers (SAUL, CoAP,
# ztimer_periodic_wakeup) and abort over the firmware's port, registered in
# fc_std_helpers (fc_helpers.c).
RUNTIME_SRCS += runtime/fc_helpers_fc.c
