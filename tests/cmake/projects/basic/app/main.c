#include "config.h"

void uart_write(const char *text);

/* The lookup table whose size the tests change (include/config.h). */
const unsigned char table[TABLE_SIZE] = {1, 2, 3};
unsigned counter = 7;

#ifdef DEBUG_TRACE
/* Debug builds only: a 1K table of trace format strings. */
const char trace_formats[1024] = "trace";
#define TRACE() (counter += (unsigned)trace_formats[counter % sizeof trace_formats])
#else
#define TRACE() ((void)0)
#endif
unsigned char buffer[64];

int main(void)
{
    unsigned sum = 0;
    for (unsigned i = 0; i < sizeof table; i++)
        sum += table[i] ^ buffer[i % sizeof buffer];
    counter += sum;
    TRACE();
    uart_write("hello");
    return 0;
}
