/* The harness's own accesses to the channel page it maps for a native ring under test (the
 * hostile peer's, or an observer's), shared by ring_jni.c and mgmt_jni.c: bounds-checked
 * against the page (an IndexOutOfBoundsException in Java otherwise), and a write also goes to
 * the shadow of the peer-owned bytes, since it is the peer's own write, not a foreign one. */
#ifndef PAGE_JNI_H
#define PAGE_JNI_H

#include <jni.h>
#include "ring.h"

/* 1 if [off, off + len) lies in the page; else 0, with the Java exception pending */
int page_in(JNIEnv *env, jint off, jint len);

jlong page_peek32(JNIEnv *env, const u8 *page, jint off);
void page_poke32(JNIEnv *env, u8 *page, u8 *shadow, jint off, jint v);
void page_read(JNIEnv *env, const u8 *page, jint off, jbyteArray dst);
void page_write(JNIEnv *env, u8 *page, u8 *shadow, jint off, jbyteArray src);

#endif
