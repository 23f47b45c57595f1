/*
 * backend_jack.c — a JACK client of our own, for the devices PortAudio lists
 * under its JACK host API. PortAudio keeps one JACK client for as long as it
 * is initialised, and once that client's server has died its streams can
 * neither be stopped nor closed (Pa_AbortStream still waited after 60 s), so
 * a device on a JACK server that went away and came back could not be
 * opened again without a restart. libjack itself tells a client that its
 * server is gone (jack_on_info_shutdown), closes such a client at once and
 * opens a new one when the server is back, in the same process: measured in
 * a plain C probe (shutdown seen in 39 ms, close 27 ms, a new client opens
 * as soon as jackd answers). So JACK devices are driven here, and PortAudio
 * keeps the others (ALSA).
 *
 * REAL-TIME CONTRACT of jack_process(), this backend's audio thread: no
 * lock, no allocation, no I/O, no logging, no JavaScript. It calls only
 * ost_mixer_render (under the contract at the top of mixer.c) and JACK's
 * real-time-safe jack_port_get_buffer, and touches atomics and the scratch
 * buffer it alone uses. The shutdown and xrun callbacks run on libjack's
 * threads and only store atomics.
 */
#include <jack/jack.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

typedef struct jack_state {
    ost_mixer *mixer;
    jack_client_t *client;
    jack_port_t *ports[OST_MAX_CHANNELS];
    uint32_t channels, block_frames;
    float *scratch;             /**< block_frames * channels, interleaved: the mixer's output */
    int started;
    int dead;                   /**< control side: the server is gone or the callbacks stalled */
    uint64_t started_ns;
    double block_s;
    ost_atomic_u32 shut_down;   /**< set by libjack's shutdown callback */
    ost_atomic_u32 xruns;       /**< counted by libjack's xrun callback, moved into the mixer by process */
    ost_atomic_u32 detached;    /**< set once the mixer belongs to another backend */
    ost_atomic_u32 in_process;  /**< 1 while the callback may touch the mixer */
} jack_state;

static void silence(jack_state *s, float *const *outs, jack_nframes_t frames) {
    for (uint32_t c = 0; c < s->channels; c++) memset(outs[c], 0, frames * sizeof(float));
}

/* The mixer renders interleaved blocks of at most block_frames (a JACK
   period longer than the engine's block is several renders); JACK wants one
   buffer per port. */
static void render_into(jack_state *s, float *const *outs, jack_nframes_t frames) {
    /* Relaxed: a count, nothing is published through it. */
    uint32_t xruns = atomic_exchange_explicit(&s->xruns.v, 0, OST_RELAXED);
    while (xruns--) ost_mixer_note_xrun(s->mixer);
    for (jack_nframes_t done = 0; done < frames;) {
        uint32_t n = frames - done < s->block_frames ? frames - done : s->block_frames;
        ost_mixer_render(s->mixer, s->scratch, n);
        for (uint32_t c = 0; c < s->channels; c++) {
            float *out = outs[c] + done;
            for (uint32_t i = 0; i < n; i++) out[i] = s->scratch[(size_t)i * s->channels + c];
        }
        done += n;
    }
}

static int jack_process(jack_nframes_t frames, void *arg) {
    jack_state *s = arg;
    float *outs[OST_MAX_CHANNELS];
    for (uint32_t c = 0; c < s->channels; c++) outs[c] = jack_port_get_buffer(s->ports[c], frames);
    /* Seq-cst store then load: see ost_backend_detach. */
    OST_STORE(&s->in_process, 1, OST_SEQ_CST);
    if (OST_LOAD(&s->detached, OST_SEQ_CST)) silence(s, outs, frames);
    else render_into(s, outs, frames);
    /* Release: our writes to the mixer happen before a detacher sees 0. */
    OST_STORE(&s->in_process, 0, OST_RELEASE);
    return 0;
}

static void jack_shut_down(jack_status_t code, const char *reason, void *arg) {
    (void)code, (void)reason;
    jack_state *s = arg;
    OST_STORE(&s->shut_down, 1, OST_RELAXED); /* a flag the watcher polls */
}

static int jack_xrun(void *arg) {
    jack_state *s = arg;
    atomic_fetch_add_explicit(&s->xruns.v, 1, OST_RELAXED);
    return 0;
}

/* The playback ports of `device` (a JACK client name, as PortAudio names its
   JACK devices; NULL or "" = every physical playback port), in order. */
static const char **playback_ports(jack_client_t *client, const char *device, uint32_t *count) {
    const char **all = jack_get_ports(client, NULL, JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput | JackPortIsPhysical);
    uint32_t n = 0;
    size_t len = device ? strlen(device) : 0;
    for (uint32_t i = 0; all && all[i]; i++)
        if (!len || (strncmp(all[i], device, len) == 0 && all[i][len] == ':')) all[n++] = all[i];
    if (all) all[n] = NULL; /* the list is ours until jack_free; the names stay valid */
    *count = n;
    return all;
}

static void free_state(jack_state *s) {
    free(s->scratch);
    free(s);
}

/* The client is opened and its ports registered here; the ports are
   connected once it is active (start), as JACK requires. */
static ost_result jack_open(ost_backend *b, ost_mixer *m, const ost_backend_params *p) {
    if (p->channels == 0 || p->channels > OST_MAX_CHANNELS) return OST_UNSUPPORTED_FORMAT;
    jack_state *s = calloc(1, sizeof *s);
    if (!s) return OST_OUT_OF_MEMORY;
    s->scratch = calloc((size_t)p->block_frames * p->channels, sizeof(float));
    if (!s->scratch) {
        free(s);
        return OST_OUT_OF_MEMORY;
    }
    s->mixer = m;
    s->channels = p->channels;
    s->block_frames = p->block_frames;
    s->block_s = (double)p->block_frames / p->sample_rate;
    OST_INIT(&s->shut_down, 0);
    OST_INIT(&s->xruns, 0);
    OST_INIT(&s->detached, 0);
    OST_INIT(&s->in_process, 0);
    jack_status_t status;
    s->client = jack_client_open("ostinato", JackNoStartServer, &status);
    if (!s->client) {
        free_state(s);
        return OST_NO_DEVICE;
    }
    ost_result r = OST_OK;
    uint32_t count = 0;
    const char **targets = playback_ports(s->client, p->device_name, &count);
    if (count == 0) r = OST_NO_DEVICE;
    else if (jack_get_sample_rate(s->client) != p->sample_rate) r = OST_UNSUPPORTED_FORMAT;
    if (targets) jack_free(targets);
    for (uint32_t c = 0; r == OST_OK && c < s->channels; c++) {
        char name[16] = "out_";
        name[4] = (char)('1' + c);
        s->ports[c] = jack_port_register(s->client, name, JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
        if (!s->ports[c]) r = OST_DEVICE_ERROR;
    }
    if (r == OST_OK && (jack_set_process_callback(s->client, jack_process, s) || jack_set_xrun_callback(s->client, jack_xrun, s)))
        r = OST_DEVICE_ERROR;
    if (r != OST_OK) {
        jack_client_close(s->client);
        free_state(s);
        return r;
    }
    jack_on_info_shutdown(s->client, jack_shut_down, s);
    size_t len = p->device_name ? strlen(p->device_name) : 0;
    if (len >= sizeof b->device_name) len = sizeof b->device_name - 1;
    memcpy(b->device_name, p->device_name ? p->device_name : "", len);
    b->device_name[len] = '\0';
    b->state = s;
    b->device_index = -1; /* the caller knows PortAudio's index, if any */
    b->output_latency_s = (double)jack_get_buffer_size(s->client) / p->sample_rate;
    return OST_OK;
}

/* With the client active: our ports to the device's, channel by channel (a
   device with fewer ports than channels hears the first ones), and the
   output latency: the playback latency JACK gives the device's first port
   (read there, not on ours, where JACK updates it some time after the
   connection). PortAudio's figure was one period less on JACK's dummy
   driver: it counted its own buffer, not the server's. */
static void connect_ports(ost_backend *b, jack_state *s, const char *device) {
    uint32_t count = 0;
    const char **targets = playback_ports(s->client, device, &count);
    for (uint32_t c = 0; c < s->channels && c < count; c++) jack_connect(s->client, jack_port_name(s->ports[c]), targets[c]);
    jack_port_t *first = count ? jack_port_by_name(s->client, targets[0]) : NULL;
    if (targets) jack_free(targets);
    jack_latency_range_t range = {0, 0};
    if (first) jack_port_get_latency_range(first, JackPlaybackLatency, &range);
    jack_nframes_t rate = jack_get_sample_rate(s->client);
    if (range.max > 0 && rate > 0) b->output_latency_s = (double)range.max / rate;
}

static ost_result jack_start(ost_backend *b) {
    jack_state *s = b->state;
    if (s->started) return OST_OK;
    /* Relaxed: no callback runs before jack_activate, which publishes it. */
    OST_STORE(&s->detached, 0, OST_RELAXED); /* stop detached it */
    if (jack_activate(s->client)) return OST_DEVICE_ERROR;
    connect_ports(b, s, b->device_name[0] ? b->device_name : NULL);
    s->started = 1;
    s->started_ns = ost_backend_now_ns();
    return OST_OK;
}

static ost_result jack_stop(ost_backend *b) {
    jack_state *s = b->state;
    if (!s->started) return OST_OK;
    ost_backend_detach(&s->detached, &s->in_process);
    /* A client whose server shut down deactivates at once; one whose
       callbacks merely stalled is left as it is (its server may never
       answer again): close leaks it. */
    if (!s->dead || OST_LOAD(&s->shut_down, OST_RELAXED)) jack_deactivate(s->client);
    s->started = 0;
    return OST_OK;
}

static void jack_close(ost_backend *b) {
    jack_state *s = b->state;
    if (!s) return;
    jack_stop(b);
    b->state = NULL;
    if (s->dead && !OST_LOAD(&s->shut_down, OST_RELAXED)) return; /* see jack_stop: the client and state leak */
    jack_client_close(s->client);
    free_state(s);
}

/* A started client is dead when its server shut it down, or when no block
   has been rendered for a long while (a server that hangs). */
static int jack_alive(ost_backend *b) {
    jack_state *s = b->state;
    if (!s || !s->started) return 1;
    if (s->dead) return 0;
    b->server_gone = OST_LOAD(&s->shut_down, OST_RELAXED);
    if (b->server_gone || ost_backend_stalled(s->mixer, s->started_ns, s->block_s)) s->dead = 1;
    return !s->dead;
}

const ost_backend_ops ost_backend_jack_ops = {
    OST_BACKEND_PORTAUDIO, jack_open, jack_start, jack_stop, jack_close, jack_alive,
};
