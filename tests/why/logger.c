/* Never called: --gc-sections drops log_float(), yet the cross reference table still lists its
   reference to printf (and ld extracts printf's member for it before dropping both). Only the
   relocations of a link with --emit-relocs show that no kept section here references printf. */
#include <stdio.h>

void log_float(float value)
{
    printf("%f\n", (double)value);
}
