/* See page_jni.h. */
#include <string.h>
#include "page_jni.h"

int page_in(JNIEnv *env, jint off, jint len)
{
    if (off < 0 || len < 0 || (u32)off + (u32)len > ZONE_PAGE) {
        jclass ex = (*env)->FindClass(env, "java/lang/IndexOutOfBoundsException");
        (*env)->ThrowNew(env, ex, "outside the channel page");
        return 0;
    }
    return 1;
}

jlong page_peek32(JNIEnv *env, const u8 *page, jint off)
{
    u32 v;
    if (!page_in(env, off, 4))
        return 0;
    memcpy(&v, page + off, 4);
    return (jlong)v;
}

void page_poke32(JNIEnv *env, u8 *page, u8 *shadow, jint off, jint v)
{
    u32 x = (u32)v;
    if (!page_in(env, off, 4))
        return;
    memcpy(page + off, &x, 4);
    memcpy(shadow + off, &x, 4);
}

void page_read(JNIEnv *env, const u8 *page, jint off, jbyteArray dst)
{
    jint n = (*env)->GetArrayLength(env, dst);
    if (!page_in(env, off, n))
        return;
    (*env)->SetByteArrayRegion(env, dst, 0, n, (const jbyte *)(page + off));
}

void page_write(JNIEnv *env, u8 *page, u8 *shadow, jint off, jbyteArray src)
{
    jint n = (*env)->GetArrayLength(env, src);
    if (!page_in(env, off, n))
        return;
    (*env)->GetByteArrayRegion(env, src, 0, n, (jbyte *)(page + off));
    memcpy(shadow + off, page + off, (size_t)n);
}
