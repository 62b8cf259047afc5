/* bpf/shared.h for the eBPF build of the fcapps apps (see helpers.h). */
#include "bpf/bpfapi/helpers.h"
