/* cm4-lld: echoes what UARTE0 receives, upper-cased. */
#include <ctype.h>
#include <stdint.h>

#include "ring.h"

#define UART_RXD (*(volatile uint32_t *)0x40002518u)
#define UART_TXD (*(volatile uint32_t *)0x4000251Cu)
#define UART_RXDRDY (*(volatile uint32_t *)0x40002108u)

static struct ring rx;
static unsigned echoed = 1;

int main(void)
{
    for (;;) {
        if (UART_RXDRDY) {
            UART_RXDRDY = 0;
            ring_put(&rx, (uint8_t)UART_RXD);
        }
        uint8_t byte;
        while (ring_get(&rx, &byte)) {
            UART_TXD = (uint32_t)toupper(byte);
            echoed++;
        }
    }
}
