#include "drivers.h"

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)

static volatile uint32_t milliseconds;

void systick_init(uint32_t ticks_per_ms)
{
    SYST_RVR = ticks_per_ms - 1;
    SYST_CVR = 0;
    SYST_CSR = 7; /* processor clock, interrupt, enable */
}

void systick_handler(void)
{
    milliseconds++;
}

void delay_ms(uint32_t ms)
{
    uint32_t start = milliseconds;
    while (milliseconds - start < ms) {
    }
}
