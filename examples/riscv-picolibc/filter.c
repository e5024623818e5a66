/* A moving-average filter over the last FILTER_TAPS samples. */
#include <string.h>

#include "filter.h"

void filter_reset(struct filter *f)
{
    memset(f, 0, sizeof *f);
}

int32_t filter_step(struct filter *f, int32_t sample)
{
    f->samples[f->next] = sample;
    f->next = (f->next + 1) % FILTER_TAPS;
    int64_t sum = 0;
    for (unsigned i = 0; i < FILTER_TAPS; i++)
        sum += f->samples[i];
    return (int32_t)(sum / FILTER_TAPS);
}
