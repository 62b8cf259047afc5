/*
 * test_helpers_fc.c - the Femto-Containers device helpers (fc_helpers_fc.c)
 * called directly on a VM with regions: SAUL, CoAP (and its refusals),
 * ztimer_periodic_wakeup, abort. Expected bytes are worked out by hand from
 * RFC 7252 and RIOT's documented behaviour.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "fc_helpers.h"
#include "fc_helpers_fc.h"
#include "fc_vm.h"

#define CTX_ADDR  0x1000u
#define PKT_ADDR  0x2000u
#define BUF_ADDR  0x3000u
#define DAT_ADDR  0x4000u

static uint8_t stack[FC_STACK_SIZE], ctx[24], pkt[FC_COAP_PKT_VIEW], buf[32], dat[16];
static fc_saul_dev devs[2];
static fc_coap_port coap;
static fc_helper_port port;
static fc_helper_env env;
static fc_vm vm;
static uint32_t slept;
static uint64_t now;

static uint64_t now_us(void *c) { (void)c; return now; }
static void sleep_us(void *c, uint32_t us) { (void)c; slept += us; now += us; }

static void wr64(uint8_t *p, uint64_t v)
{
    for (unsigned k = 0; k < 8; k++)
        p[k] = (uint8_t)(v >> (8 * k));
}

static void setup(void)
{
    static const uint8_t req[] = {0x42, 0x01, 0x12, 0x34, 0xab, 0xcd, 0xb4, 't', 'e', 'm', 'p'};
    memset(&vm, 0, sizeof vm);
    cr_assert_eq(fc_vm_init(&vm, NULL, 0, stack, sizeof stack), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, CTX_ADDR, ctx, sizeof ctx, FC_PERM_RW, FC_REGION_CTX), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, PKT_ADDR, pkt, sizeof pkt, FC_PERM_R, FC_REGION_EXTRA), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, BUF_ADDR, buf, sizeof buf, FC_PERM_RW, FC_REGION_EXTRA), FC_OK);
    cr_assert_eq(fc_vm_add_region(&vm, DAT_ADDR, dat, sizeof dat, FC_PERM_R, FC_REGION_EXTRA), FC_OK);
    memset(devs, 0, sizeof devs);
    devs[0].type = 0x82;
    devs[0].value = (fc_phydat){{2150, 0, 0}, 2, -2};
    devs[0].dim = 1;
    devs[1].type = 0x83;
    devs[1].value = (fc_phydat){{-7, 1, 2}, 0, 0};
    devs[1].dim = 3;
    memset(buf, 0, sizeof buf);
    memcpy(buf, req, sizeof req);
    memset(&coap, 0, sizeof coap);
    coap.buf = buf;
    coap.buf_len = sizeof buf;
    coap.buf_addr = BUF_ADDR;
    coap.pkt = pkt;
    coap.pkt_addr = PKT_ADDR;
    cr_assert_eq(fc_coap_port_init(&coap, sizeof req), 0);
    port = (fc_helper_port){devs, 2, &coap, sleep_us, NULL};
    memset(&env, 0, sizeof env);
    env.now_us = now_us;
    env.port = &port;
    vm.env = &env;
    wr64(ctx, PKT_ADDR);
    wr64(ctx + 8, BUF_ADDR);
    wr64(ctx + 16, sizeof buf);
    slept = 0;
    now = 0;
}

TestSuite(helpers_fc, .init = setup);

Test(helpers_fc, saul_find_and_read)
{
    cr_assert_eq(fc_helper_saul_find_nth(&vm, 0, 0, 0, 0, 0), 1);
    cr_assert_eq(fc_helper_saul_find_nth(&vm, 1, 0, 0, 0, 0), 2);
    cr_assert_eq(fc_helper_saul_find_nth(&vm, 2, 0, 0, 0, 0), 0);
    cr_assert_eq(fc_helper_saul_find_nth(&vm, 0xffffffffu, 0, 0, 0, 0), 1, "pos < 0: the first");
    cr_assert_eq(fc_helper_saul_find_type(&vm, 0x183, 0, 0, 0, 0), 2, "type: low 8 bits");
    cr_assert_eq(fc_helper_saul_find_type(&vm, 0x81, 0, 0, 0, 0), 0);
    /* a reading into the context (writable): little-endian phydat_t */
    cr_assert_eq(fc_helper_saul_read(&vm, 2, CTX_ADDR, 0, 0, 0), 3);
    static const uint8_t want[8] = {0xf9, 0xff, 1, 0, 2, 0, 0, 0};
    cr_assert_arr_eq(ctx, want, 8);
    /* no such handle: -ENODEV, nothing written, no fault */
    memset(ctx, 0xee, 8);
    cr_assert_eq(fc_helper_saul_read(&vm, 3, CTX_ADDR, 0, 0, 0), (uint64_t)-19);
    cr_assert_eq(fc_helper_saul_read(&vm, 0, CTX_ADDR, 0, 0, 0), (uint64_t)-19);
    cr_assert_eq(vm.helper_err, 0);
    cr_assert_eq(ctx[0], 0xee);
    /* a read-only or unmapped destination is a fault */
    cr_assert_eq(fc_helper_saul_read(&vm, 1, DAT_ADDR, 0, 0, 0), 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    cr_assert_eq(vm.err_addr, DAT_ADDR);
    vm.helper_err = 0;
    fc_helper_saul_read(&vm, 1, CTX_ADDR + 20, 0, 0, 0);   /* 8 bytes past the end */
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    /* no port: nothing found */
    env.port = NULL;
    cr_assert_eq(fc_helper_saul_find_nth(&vm, 0, 0, 0, 0, 0), 0);
}

Test(helpers_fc, coap_response_bytes)
{
    /* the request's pkt view: payload after the Uri-Path option (none) */
    cr_assert_eq(pkt[8] | pkt[9] << 8, (BUF_ADDR + 11) & 0xffff);
    cr_assert_eq(pkt[14], 1, "one option");
    cr_assert_eq(fc_helper_gcoap_resp_init(&vm, CTX_ADDR, 0x45, 0, 0, 0), 0);
    cr_assert_eq(vm.helper_err, 0);
    cr_assert_eq(buf[0], 0x62, "CON answered with an ACK, TKL 2");
    cr_assert_eq(buf[1], 0x45);
    cr_assert_eq(fc_helper_coap_add_format(&vm, CTX_ADDR, 50, 0, 0, 0), 2);
    cr_assert_eq(buf[6], 0xc1, "delta 12, length 1");
    cr_assert_eq(buf[7], 50);
    cr_assert_eq(fc_helper_coap_add_format(&vm, CTX_ADDR, 0, 0, 0, 0), 1, "delta 0, length 0");
    cr_assert_eq(buf[8], 0x00);
    cr_assert_eq(fc_helper_coap_opt_finish(&vm, CTX_ADDR, 1, 0, 0, 0), 10);
    cr_assert_eq(buf[9], 0xff);
    cr_assert_eq(fc_helper_coap_get_pdu(&vm, CTX_ADDR, 0, 0, 0, 0), BUF_ADDR + 10);
    /* the view the program reads */
    uint32_t pay = (uint32_t)pkt[8] | (uint32_t)pkt[9] << 8 | (uint32_t)pkt[10] << 16 |
                   (uint32_t)pkt[11] << 24;
    cr_assert_eq(pay, BUF_ADDR + 10);
    cr_assert_eq(pkt[12], sizeof buf - 10);
    cr_assert_eq(pkt[14], 2);
    /* without the payload flag the room is gone: nothing more fits */
    cr_assert_eq(fc_helper_coap_opt_finish(&vm, CTX_ADDR, 0, 0, 0, 0), 10, "no payload: length stays");
    cr_assert_eq(fc_helper_coap_add_format(&vm, CTX_ADDR, 0x1234, 0, 0, 0), (uint64_t)-28, "no room");
    cr_assert_eq(fc_helper_coap_opt_finish(&vm, CTX_ADDR, 1, 0, 0, 0), (uint64_t)-28);
    cr_assert_eq(vm.helper_err, 0);
}

Test(helpers_fc, coap_context_must_name_the_packet)
{
    /* a context whose buf points elsewhere (here: at the context itself) */
    wr64(ctx + 8, CTX_ADDR);
    uint8_t before[sizeof buf];
    memcpy(before, buf, sizeof buf);
    fc_helper_gcoap_resp_init(&vm, CTX_ADDR, 0x45, 0, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    cr_assert_arr_eq(buf, before, sizeof buf, "nothing written");
    /* the right fields, but a longer buffer than the port's */
    vm.helper_err = 0;
    wr64(ctx + 8, BUF_ADDR);
    wr64(ctx + 16, sizeof buf + 1);
    fc_helper_coap_get_pdu(&vm, CTX_ADDR, 0, 0, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    /* a context pointer outside every region */
    vm.helper_err = 0;
    wr64(ctx + 16, sizeof buf);
    fc_helper_coap_opt_finish(&vm, 0x9000, 1, 0, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    cr_assert_eq(vm.err_addr, 0x9000);
    /* the port's buffer not granted to the program */
    vm.helper_err = 0;
    vm.nregions = 2;   /* ctx and the pkt view only */
    fc_helper_gcoap_resp_init(&vm, CTX_ADDR, 0x45, 0, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    cr_assert_arr_eq(buf, before, sizeof buf);
    /* before resp_init the builders refuse without a fault */
    vm.helper_err = 0;
    vm.nregions = 4;
    cr_assert_eq(fc_helper_coap_add_format(&vm, CTX_ADDR, 0, 0, 0, 0), (uint64_t)-22);
    cr_assert_eq(vm.helper_err, 0);
    /* malformed requests are refused by the port's set-up */
    buf[0] = 0x4f;   /* TKL 15 */
    cr_assert_eq(fc_coap_port_init(&coap, 11), -1);
}

Test(helpers_fc, ztimer_periodic_and_abort)
{
    /* *last = 0 in the context; period 1000 from now = 0: sleep 1000 */
    memset(ctx, 0, 4);
    cr_assert_eq(fc_helper_ztimer_periodic_wakeup(&vm, CTX_ADDR, 1000, 0, 0, 0), 0);
    cr_assert_eq(slept, 1000);
    cr_assert_eq(ctx[0] | ctx[1] << 8, 1000);
    /* missed: now 5000, last 1000: no sleep, last = now */
    now = 5000;
    fc_helper_ztimer_periodic_wakeup(&vm, CTX_ADDR, 1000, 0, 0, 0);
    cr_assert_eq(slept, 1000);
    cr_assert_eq(ctx[0] | ctx[1] << 8, 5000);
    /* a read-only pointer is a fault */
    fc_helper_ztimer_periodic_wakeup(&vm, DAT_ADDR, 1000, 0, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_HELPER_FAULT);
    vm.helper_err = 0;
    fc_helper_abort(&vm, 42, 0, 0, 0, 0);
    cr_assert_eq(vm.helper_err, FC_ERR_UNWIND);
    cr_assert_eq(vm.err_addr, 42);
}
