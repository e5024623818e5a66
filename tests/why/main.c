/* why fixture: main -> report() -> printf("%f"). */
float read_temperature(void);
void report(float celsius);

int main(void)
{
    report(read_temperature());
    for (;;) {
    }
}
