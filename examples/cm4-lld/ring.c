/* A byte ring buffer between the UART receive and transmit paths. */
#include "ring.h"

int ring_put(struct ring *r, uint8_t byte)
{
    size_t next = (r->head + 1) % sizeof r->data;
    if (next == r->tail)
        return 0;
    r->data[r->head] = byte;
    r->head = next;
    return 1;
}

int ring_get(struct ring *r, uint8_t *byte)
{
    if (r->tail == r->head)
        return 0;
    *byte = r->data[r->tail];
    r->tail = (r->tail + 1) % sizeof r->data;
    return 1;
}
