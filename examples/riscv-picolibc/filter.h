#ifndef FILTER_H
#define FILTER_H
#include <stdint.h>

#define FILTER_TAPS 16

struct filter {
    int32_t samples[FILTER_TAPS];
    unsigned next;
};

void filter_reset(struct filter *f);
int32_t filter_step(struct filter *f, int32_t sample);
#endif
