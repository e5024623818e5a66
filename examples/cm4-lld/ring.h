#ifndef RING_H
#define RING_H
#include <stddef.h>
#include <stdint.h>

struct ring {
    uint8_t data[256];
    size_t head, tail;
};

int ring_put(struct ring *r, uint8_t byte);
int ring_get(struct ring *r, uint8_t *byte);
#endif
