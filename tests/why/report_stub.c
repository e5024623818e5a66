/* report.c without its printf: what the link is without the item `why` names. */
void report(float celsius)
{
    (void)celsius;
}
