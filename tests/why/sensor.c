volatile float adc_scale = 0.125f;

float read_temperature(void)
{
    return 170.0f * adc_scale;
}

/* Never called: --gc-sections drops its section, and `why` says so. */
float sensor_self_test(void)
{
    return adc_scale * 2.0f;
}
