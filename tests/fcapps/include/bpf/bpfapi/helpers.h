/*
 * bpf/bpfapi/helpers.h for the eBPF build of the fcapps test apps: what
 * Femto-Containers' RIOT header of that name gives an app (helper names,
 * numbers and prototypes, bpf_coap_ctx_t, phydat_t), here from femtoc's own
 * runtime/femtoc_bpf.h. Our file, not theirs: only names, numbers and
 * layouts are shared.
 */
#ifndef FCAPPS_BPF_HELPERS_H
#define FCAPPS_BPF_HELPERS_H
#include "femtoc_bpf.h"
typedef signed ssize_t;   /* as their header has it: an int */
#endif
