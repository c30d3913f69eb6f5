/* COM1: the human-readable log (not the trace). */
#include "klib.h"
#include "x86.h"

#define LOG_LINE_MAX 160

void serial_init(void)
{
    outb(PORT_COM1 + UART_IER, 0);
    outb(PORT_COM1 + UART_LCR, UART_LCR_DLAB);
    outb(PORT_COM1 + UART_DATA, UART_DIV_115200);
    outb(PORT_COM1 + UART_IER, 0);
    outb(PORT_COM1 + UART_LCR, UART_LCR_8N1);
    outb(PORT_COM1 + UART_FCR, 0);
    outb(PORT_COM1 + UART_MCR, 0);
}

static void serial_putc(char c)
{
    while (!(inb(PORT_COM1 + UART_LSR) & UART_LSR_THRE))
        cpu_relax();
    outb(PORT_COM1 + UART_DATA, (u8)c);
}

void klog(const char *fmt, ...)
{
    char buf[LOG_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    kvsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    for (char *p = buf; *p; p++) {
        if (*p == '\n')
            serial_putc('\r');
        serial_putc(*p);
    }
}

void qemu_exit(u32 code)
{
    outl(PORT_DEBUG_EXIT, code);
    for (;;) {          /* without isa-debug-exit: stay here */
        cli();
        hlt();
    }
}
