/*
 * backend_offline.c — no audio thread: the caller renders with
 * ost_engine_render, as fast as it likes, on its own thread.
 */
#include "backend.h"

static ost_result offline_open(ost_backend *b, ost_mixer *m, const ost_backend_params *p) {
    (void)m, (void)p;
    b->state = NULL;
    b->device_index = -1;
    b->output_latency_s = 0;
    return OST_OK;
}
static ost_result offline_start(ost_backend *b) { (void)b; return OST_OK; }
static ost_result offline_stop(ost_backend *b) { (void)b; return OST_OK; }
static void offline_close(ost_backend *b) { (void)b; }
static int offline_alive(ost_backend *b) { (void)b; return 1; }

const ost_backend_ops ost_backend_offline_ops = {
    OST_BACKEND_OFFLINE, offline_open, offline_start, offline_stop, offline_close, offline_alive,
};
