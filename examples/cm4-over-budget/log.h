#ifndef LOG_H
#define LOG_H
void log_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));
#endif
