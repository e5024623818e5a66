/* Logging over USART2: printf-style formatting with newlib-nano's vsnprintf. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "log.h"

#define USART2_SR (*(volatile uint32_t *)0x40004400u)
#define USART2_DR (*(volatile uint32_t *)0x40004404u)

void log_printf(const char *format, ...)
{
    char line[80];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(line, sizeof line, format, args);
    va_end(args);
    for (int i = 0; i < n && i < (int)sizeof line - 1; i++) {
        while (!(USART2_SR & (1u << 7))) { /* TXE */
        }
        USART2_DR = (uint8_t)line[i];
    }
}
