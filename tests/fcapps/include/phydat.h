/* phydat.h for the eBPF build of the fcapps apps: phydat_t comes from femtoc_bpf.h. */
#include "bpf/bpfapi/helpers.h"
