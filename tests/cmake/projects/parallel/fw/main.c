/* fw1..fw4 of the parallel test: FW_TABLE bytes of table, so each image has its own size. */
void uart_write(const char *text);

const unsigned char table[FW_TABLE] = {1, 2, 3};

int main(void)
{
    unsigned sum = 0;
    for (unsigned i = 0; i < sizeof table; i++)
        sum += table[i];
    uart_write(FW_NAME);
    return (int)sum;
}
