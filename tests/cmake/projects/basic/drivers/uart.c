#define UART_DR (*(volatile unsigned *)0x40011004)

static char tx_ring[128];
static unsigned head;

void uart_write(const char *text)
{
    while (*text) {
        tx_ring[head++ % sizeof tx_ring] = *text;
        UART_DR = (unsigned)*text++;
    }
}
