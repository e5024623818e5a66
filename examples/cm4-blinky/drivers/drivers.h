/* Board support of cm4-blinky: a GPIO port and the SysTick timer. */
#ifndef DRIVERS_H
#define DRIVERS_H
#include <stdint.h>

void gpio_init_output(unsigned pin);
void gpio_write(unsigned pin, int on);

void systick_init(uint32_t ticks_per_ms);
void systick_handler(void);
void delay_ms(uint32_t ms);

#endif
