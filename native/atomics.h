/*
 * atomics.h — C11 atomics wrapped in single-member structs, so that a plain
 * `x += 1` or `x = y` on a shared counter does not compile: every access has
 * to name its memory order, and the comment beside it says why. The macros
 * work from any thread (Thread: any); each call site says which side it is.
 */
#ifndef OST_ATOMICS_H
#define OST_ATOMICS_H

#include <stdatomic.h>
#include <stdint.h>

typedef struct { _Atomic uint64_t v; } ost_atomic_u64;
typedef struct { _Atomic uint32_t v; } ost_atomic_u32;

#define OST_LOAD(a, order) atomic_load_explicit(&(a)->v, (order))
#define OST_STORE(a, x, order) atomic_store_explicit(&(a)->v, (x), (order))
#define OST_INIT(a, x) atomic_init(&(a)->v, (x))

#define OST_RELAXED memory_order_relaxed
#define OST_ACQUIRE memory_order_acquire
#define OST_RELEASE memory_order_release
#define OST_SEQ_CST memory_order_seq_cst

#endif
