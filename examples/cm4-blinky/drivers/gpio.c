#include "drivers.h"

/* GPIOA of an STM32F4 and the RCC clock enable for it. */
#define RCC_AHB1ENR (*(volatile uint32_t *)0x40023830u)
#define GPIOA_MODER (*(volatile uint32_t *)0x40020000u)
#define GPIOA_BSRR (*(volatile uint32_t *)0x40020018u)

void gpio_init_output(unsigned pin)
{
    RCC_AHB1ENR |= 1u;
    GPIOA_MODER = (GPIOA_MODER & ~(3u << (2 * pin))) | (1u << (2 * pin));
}

void gpio_write(unsigned pin, int on)
{
    GPIOA_BSRR = on ? (1u << pin) : (1u << (pin + 16));
}
