/* cm4-blinky with logging: blinks the LED on PA5 and logs every step. */
#include <string.h>

#include "drivers.h"
#include "log.h"

#define LED_PIN 5

static const uint16_t default_pattern[] = {100, 100, 100, 600};
static uint16_t pattern[8];
static unsigned pattern_length;

int main(void)
{
    memcpy(pattern, default_pattern, sizeof default_pattern);
    pattern_length = sizeof default_pattern / sizeof default_pattern[0];

    systick_init(16000);
    gpio_init_output(LED_PIN);
    log_printf("blinky: %u steps\r\n", pattern_length);
    for (unsigned step = 0;; step = (step + 1) % pattern_length) {
        gpio_write(LED_PIN, step % 2 == 0);
        log_printf("step %u: %s for %u ms\r\n", step, step % 2 == 0 ? "on" : "off", pattern[step]);
        delay_ms(pattern[step]);
    }
}
