/* cm4-blinky: blinks the LED on PA5 in a pattern. */
#include <string.h>

#include "drivers.h"

#define LED_PIN 5

static const uint16_t default_pattern[] = {100, 100, 100, 600};
static uint16_t pattern[8];
static unsigned pattern_length;

int main(void)
{
    memcpy(pattern, default_pattern, sizeof default_pattern);
    pattern_length = sizeof default_pattern / sizeof default_pattern[0];

    systick_init(16000); /* 16 MHz HSI */
    gpio_init_output(LED_PIN);
    for (unsigned step = 0;; step = (step + 1) % pattern_length) {
        gpio_write(LED_PIN, step % 2 == 0);
        delay_ms(pattern[step]);
    }
}
