/* fcapps: read SAUL sensors by class and by position and print them with
 * RIOT's fmt helpers. */
#include <stdint.h>
#include "bpf/bpfapi/helpers.h"
#include "saul.h"

static void show(const char *what, bpf_saul_reg_t *dev)
{
    phydat_t d;
    char num[24];
    int dim = bpf_saul_reg_read(dev, &d);
    if (dim < 0) {
        bpf_printf("%s: error %d\n", what, dim);
        return;
    }
    size_t n = bpf_fmt_s16_dfp(num, d.val[0], d.scale);
    num[n] = 0;
    bpf_printf("%s: %s (unit %u, dim %d)\n", what, num, d.unit, dim);
}

int saul_read(void *ctx)
{
    (void)ctx;
    bpf_saul_reg_t *temp = bpf_saul_reg_find_type(SAUL_SENSE_TEMP);
    bpf_saul_reg_t *hum = bpf_saul_reg_find_type(SAUL_SENSE_HUM);
    bpf_saul_reg_t *third = bpf_saul_reg_find_nth(2);
    bpf_saul_reg_t *none = bpf_saul_reg_find_nth(9);
    bpf_saul_reg_t *btn = bpf_saul_reg_find_type(SAUL_SENSE_BTN);
    if (!temp || !hum)
        return -1;
    show("temp", temp);
    show("hum", hum);
    show("nth(2)", third);
    show("nth(9)", none);
    phydat_t t;
    bpf_saul_reg_read(temp, &t);
    return (none == 0) + 2 * (btn == 0) + 4 * t.val[0];
}
