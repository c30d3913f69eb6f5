/* A small vsnprintf: %s %c %u %d %x (with 0-padding width) and %llu. */
#include "klib.h"
#include "x86.h"

u32 fmt_u64(char *buf, u64 v)
{
    char tmp[24];
    u32 n = 0, i;
    do {
        u32 r;
        v = udiv64(v, 10, &r);
        tmp[n++] = (char)('0' + r);
    } while (v);
    for (i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    return n;
}

struct out {
    char *buf;
    u32 size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_num(struct out *o, u64 v, u32 base, u32 width, char pad)
{
    char tmp[24];
    u32 n = 0;
    if (base == 10) {
        n = fmt_u64(tmp, v);
    } else {
        do {
            u32 d = (u32)v & 0xF;
            tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
            v >>= 4;
        } while (v);
        for (u32 i = 0; i < n / 2; i++) {
            char c = tmp[i];
            tmp[i] = tmp[n - 1 - i];
            tmp[n - 1 - i] = c;
        }
    }
    while (width > n) {
        put(o, pad);
        width--;
    }
    for (u32 i = 0; i < n; i++)
        put(o, tmp[i]);
}

int kvsnprintf(char *buf, u32 size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    for (; *fmt; fmt++) {
        u32 width = 0, longlong = 0;
        char pad = ' ';
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt++;
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (u32)(*fmt++ - '0');
        while (*fmt == 'l') {
            longlong++;
            fmt++;
        }
        switch (*fmt) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            while (*s)
                put(&o, *s++);
            break;
        }
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        case 'd': {
            int v = va_arg(ap, int);
            if (v < 0) {
                put(&o, '-');
                put_num(&o, (u64)(-(long long)v), 10, width, pad);
            } else {
                put_num(&o, (u64)v, 10, width, pad);
            }
            break;
        }
        case 'u':
        case 'x': {
            u64 v = longlong >= 2 ? va_arg(ap, u64) : va_arg(ap, u32);
            put_num(&o, v, *fmt == 'u' ? 10 : 16, width, pad);
            break;
        }
        case '%':
            put(&o, '%');
            break;
        default:
            put(&o, '?');
            break;
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = 0;
    return (int)o.len;
}

int ksnprintf(char *buf, u32 size, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
