#include <stdio.h>

void report(float celsius)
{
    printf("temperature %.2f C\n", (double)celsius);
}
