int main(void)
{
    volatile unsigned *const flash_key = (volatile unsigned *)0x40023c04;
    *flash_key = 0x45670123;
    return 0;
}
