/* Cortex-M4 startup of cm4-lld: vector table, .data copy and .bss clear (newlib-nano's memcpy and
 * memset), then main(). */
#include <stdint.h>
#include <string.h>

extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;
int main(void);

void Reset_Handler(void)
{
    memcpy(&_sdata, &_sidata, (size_t)((char *)&_edata - (char *)&_sdata));
    memset(&_sbss, 0, (size_t)((char *)&_ebss - (char *)&_sbss));
    main();
    for (;;) {
    }
}

static void default_handler(void)
{
    for (;;) {
    }
}

__attribute__((section(".isr_vector"), used)) static void (*const vectors[4])(void) = {
    (void (*)(void))&_estack,
    Reset_Handler,
    default_handler, /* NMI */
    default_handler, /* HardFault */
};
