/* riscv-picolibc: filters readings of a memory-mapped sensor and publishes the average. */
#include <stdint.h>
#include <string.h>

#include "filter.h"

#define SENSOR_DATA (*(volatile int32_t *)0x10012000u)
#define OUTPUT_REG (*(volatile int32_t *)0x10012004u)

static struct filter filter;
static int32_t history[64];
static const char banner[] = "sensor v1";
char device_name[16] = "sensor";

int main(void)
{
    filter_reset(&filter);
    memcpy(device_name, banner, strlen(banner) + 1);
    for (unsigned n = 0;; n++) {
        int32_t average = filter_step(&filter, SENSOR_DATA);
        history[n % 64] = average;
        memmove(history, history + 1, sizeof history - sizeof history[0]);
        OUTPUT_REG = average;
    }
}
