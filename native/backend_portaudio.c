/*
 * backend_portaudio.c — a PortAudio output stream, and the device list.
 *
 * PortAudio's own state (Pa_Initialize's reference count, the host API
 * list) is process-global and not thread-safe, so every call into it except
 * from the callback goes through pa_lock: the one piece of mutable global
 * state in this library, and it belongs to PortAudio, not to us.
 *
 * pa_callback is this backend's audio thread. It follows the contract at the
 * top of mixer.c: it counts underflows and calls ost_mixer_render, nothing
 * else: no lock, no allocation, no I/O, no call out of the library.
 */
#include <alsa/asoundlib.h>
#include <jack/jack.h>
#include <portaudio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"

static pthread_mutex_t pa_lock = PTHREAD_MUTEX_INITIALIZER;

/* PortAudio probes every ALSA PCM it knows of, and alsa-lib prints a line to
   stderr for each one that does not exist (dozens on a machine without a
   sound card); libjack prints a few more when no JACK server runs. Device
   errors reach the caller as ost_result values instead, so both libraries'
   messages are off; OSTINATO_AUDIO_DEBUG=1 keeps them for debugging. */
static void alsa_quiet(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file, (void)line, (void)function, (void)err, (void)fmt;
}
static void jack_quiet(const char *message) { (void)message; }

/* With pa_lock held: Pa_Initialize, with the host libraries' chatter off. */
static PaError pa_init(void) {
    const char *debug = getenv("OSTINATO_AUDIO_DEBUG");
    if (!debug || strcmp(debug, "1") != 0) {
        snd_lib_error_set_handler(alsa_quiet);
        jack_set_error_function(jack_quiet);
        jack_set_info_function(jack_quiet);
    }
    return Pa_Initialize();
}

static void copy_name(char *dst, size_t size, const char *src) {
    size_t n = src ? strlen(src) : 0;
    if (n >= size) n = size - 1;
    if (n) memcpy(dst, src, n);
    dst[n] = '\0';
}

typedef struct pa_state {
    ost_mixer *mixer;
    PaStream *stream;
    uint32_t channels;
    int started;
    int dead;                 /**< the stream died (control side) */
    uint64_t started_ns;
    double block_s;
    ost_atomic_u32 detached;    /**< set once the mixer belongs to another backend */
    ost_atomic_u32 in_callback; /**< 1 while the callback may touch the mixer */
} pa_state;

static int pa_callback(const void *input, void *output, unsigned long frames, const PaStreamCallbackTimeInfo *time,
                       PaStreamCallbackFlags flags, void *user) {
    (void)input, (void)time;
    pa_state *s = user;
    /* Seq-cst store then load: see ost_backend_detach. */
    OST_STORE(&s->in_callback, 1, OST_SEQ_CST);
    if (OST_LOAD(&s->detached, OST_SEQ_CST)) {
        memset(output, 0, (size_t)frames * s->channels * sizeof(float));
        OST_STORE(&s->in_callback, 0, OST_RELEASE);
        return paAbort;
    }
    if (flags & (paOutputUnderflow | paOutputOverflow)) ost_mixer_note_xrun(s->mixer);
    ost_mixer_render(s->mixer, output, (uint32_t)frames);
    /* Release: our writes to the mixer happen before a detacher sees 0. */
    OST_STORE(&s->in_callback, 0, OST_RELEASE);
    return paContinue;
}

/* With pa_lock held and PortAudio initialised: the device to open. */
static ost_result find_device(int32_t index, const char *name, PaDeviceIndex *out) {
    int count = Pa_GetDeviceCount();
    if (count < 0) return OST_DEVICE_ERROR;
    if (index >= 0) {
        const PaDeviceInfo *info = index < count ? Pa_GetDeviceInfo(index) : NULL;
        if (!info || info->maxOutputChannels <= 0) return OST_NO_DEVICE;
        *out = index;
        return OST_OK;
    }
    if (name && name[0]) {
        for (int i = 0; i < count; i++) {
            const PaDeviceInfo *info = Pa_GetDeviceInfo(i);
            if (info && info->maxOutputChannels > 0 && strcmp(info->name, name) == 0) {
                *out = i;
                return OST_OK;
            }
        }
        return OST_NO_DEVICE;
    }
    PaDeviceIndex d = Pa_GetDefaultOutputDevice();
    if (d == paNoDevice) return OST_NO_DEVICE;
    *out = d;
    return OST_OK;
}

static ost_result pa_error(PaError err) {
    switch (err) {
    case paInvalidSampleRate:
    case paInvalidChannelCount:
    case paSampleFormatNotSupported: return OST_UNSUPPORTED_FORMAT;
    case paInvalidDevice:
    case paDeviceUnavailable: return OST_NO_DEVICE;
    case paInsufficientMemory: return OST_OUT_OF_MEMORY;
    default: return OST_DEVICE_ERROR;
    }
}

/* Whether the ALSA PCM behind a PortAudio device name opens now, with a
   descriptor to poll: "... (hw:1,0)" for a card, the name itself for a PCM
   of the configuration. Asked before PortAudio is, while a lost device is
   awaited, because PortAudio's own open is not safe on a device that is
   only half there: it prints four lines to stderr for each stream it fails
   to open (it would be asked every 250 ms), and on a PCM that opens with no
   descriptor to poll (alsa-plugins' jack PCM while its server starts) it
   fails an assert() and aborts the whole process (seen once in the
   device-loss test). The probe opens non-blocking and closes at once, with
   alsa-lib's messages off (pa_init turned them off). */
int ost_backend_alsa_answers(const char *pa_name) {
    char pcm[sizeof ((ost_backend *)0)->device_name];
    const char *open = strrchr(pa_name, '(');
    const char *close = open ? strchr(open, ')') : NULL;
    if (open && close && strncmp(open + 1, "hw:", 3) == 0) {
        size_t n = (size_t)(close - open - 1);
        if (n >= sizeof pcm) return 0;
        memcpy(pcm, open + 1, n);
        pcm[n] = '\0';
    } else {
        copy_name(pcm, sizeof pcm, pa_name);
    }
    snd_pcm_t *handle;
    if (snd_pcm_open(&handle, pcm, SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK) < 0) return 0;
    int polls = snd_pcm_poll_descriptors_count(handle);
    snd_pcm_close(handle);
    return polls > 0;
}

/* With pa_lock held: whether the device belongs to PortAudio's host API of that type. */
static int on_host(PaDeviceIndex device, PaHostApiTypeId type) {
    const PaHostApiInfo *host = Pa_GetHostApiInfo(Pa_GetDeviceInfo(device)->hostApi);
    return host && host->type == type;
}

/* With pa_lock held and PortAudio initialised by pa_open: a JACK device is
   driven by backend_jack.c (see the top of that file), never by a PortAudio
   stream, so PortAudio is only ever initialised for a moment around a JACK
   server and a server that dies leaves nothing of it behind. */
static ost_result open_on_jack(ost_backend *b, ost_mixer *m, const ost_backend_params *p, pa_state *s,
                               PaDeviceIndex device) {
    const PaDeviceInfo *info = Pa_GetDeviceInfo(device);
    char name[sizeof b->device_name];
    copy_name(name, sizeof name, info->name);
    int too_many = (int)p->channels > info->maxOutputChannels;
    Pa_Terminate();
    pthread_mutex_unlock(&pa_lock);
    free(s);
    if (too_many) return OST_UNSUPPORTED_FORMAT;
    ost_backend_params on_jack_params = *p;
    on_jack_params.device_name = name;
    b->ops = &ost_backend_jack_ops;
    ost_result r = b->ops->open(b, m, &on_jack_params);
    if (r == OST_OK) b->device_index = device;
    return r;
}

static ost_result pa_open(ost_backend *b, ost_mixer *m, const ost_backend_params *p) {
    pa_state *s = calloc(1, sizeof *s);
    if (!s) return OST_OUT_OF_MEMORY;
    s->mixer = m;
    s->channels = p->channels;
    s->block_s = (double)p->block_frames / p->sample_rate;
    OST_INIT(&s->detached, 0);
    OST_INIT(&s->in_callback, 0);
    pthread_mutex_lock(&pa_lock);
    PaError err = pa_init();
    if (err != paNoError) {
        pthread_mutex_unlock(&pa_lock);
        free(s);
        return OST_DEVICE_ERROR;
    }
    PaDeviceIndex device;
    ost_result r = find_device(p->device_index, p->device_name, &device);
    if (r == OST_OK && on_host(device, paJACK)) return open_on_jack(b, m, p, s, device);
    /* An ALSA device is probed first (see ost_backend_alsa_answers): one that
       is half there gets a clear error instead of PortAudio's abort(). */
    if (r == OST_OK && on_host(device, paALSA) && !ost_backend_alsa_answers(Pa_GetDeviceInfo(device)->name)) r = OST_NO_DEVICE;
    if (r == OST_OK) {
        const PaDeviceInfo *info = Pa_GetDeviceInfo(device);
        if ((int)p->channels > info->maxOutputChannels) {
            r = OST_UNSUPPORTED_FORMAT;
        } else {
            PaStreamParameters out = {
                .device = device,
                .channelCount = (int)p->channels,
                .sampleFormat = paFloat32,
                .suggestedLatency = p->latency_s > 0 ? p->latency_s : info->defaultLowOutputLatency,
                .hostApiSpecificStreamInfo = NULL,
            };
            err = Pa_OpenStream(&s->stream, NULL, &out, p->sample_rate, p->block_frames, paClipOff | paDitherOff,
                                pa_callback, s);
            if (err != paNoError) r = pa_error(err);
        }
    }
    const PaStreamInfo *stream_info = r == OST_OK ? Pa_GetStreamInfo(s->stream) : NULL;
    b->output_latency_s = stream_info ? stream_info->outputLatency : 0;
    if (r != OST_OK) {
        Pa_Terminate();
        pthread_mutex_unlock(&pa_lock);
        free(s);
        return r;
    }
    copy_name(b->device_name, sizeof b->device_name, Pa_GetDeviceInfo(device)->name);
    pthread_mutex_unlock(&pa_lock);
    b->state = s;
    b->device_index = device;
    return OST_OK;
}

static ost_result pa_start(ost_backend *b) {
    pa_state *s = b->state;
    if (s->started) return OST_OK;
    pthread_mutex_lock(&pa_lock);
    PaError err = Pa_StartStream(s->stream);
    pthread_mutex_unlock(&pa_lock);
    if (err != paNoError) return pa_error(err);
    s->started = 1;
    s->started_ns = ost_backend_now_ns();
    return OST_OK;
}

static ost_result pa_stop(ost_backend *b) {
    pa_state *s = b->state;
    if (!s->started) return OST_OK;
    if (s->dead) {
        ost_backend_detach(&s->detached, &s->in_callback); /* PortAudio's stop could wait forever */
        s->started = 0;
        return OST_OK;
    }
    pthread_mutex_lock(&pa_lock);
    /* Abort rather than drain: the music is ours to stop now, and a dead
       device would never drain. Returns once the callback has finished. */
    if (Pa_IsStreamStopped(s->stream) == 0) Pa_AbortStream(s->stream);
    pthread_mutex_unlock(&pa_lock);
    s->started = 0;
    return OST_OK;
}

static void pa_close(ost_backend *b) {
    pa_state *s = b->state;
    if (!s) return;
    pa_stop(b);
    b->state = NULL;
    if (s->dead) {
        /* A dead stream is left to PortAudio as it is (closing it can hang,
           see ost_backend_detach): the stream and this small state leak, once per
           lost device, and PortAudio stays initialised in this process. */
        return;
    }
    pthread_mutex_lock(&pa_lock);
    Pa_CloseStream(s->stream);
    Pa_Terminate();
    pthread_mutex_unlock(&pa_lock);
    free(s);
    b->state = NULL;
}

/* A started stream is dead when PortAudio says it is no longer active, or
   when no block has been rendered for a long while (a device that vanished
   without telling PortAudio). */
static int pa_alive(ost_backend *b) {
    pa_state *s = b->state;
    if (!s || !s->started) return 1;
    if (s->dead) return 0;
    pthread_mutex_lock(&pa_lock);
    int active = Pa_IsStreamActive(s->stream);
    pthread_mutex_unlock(&pa_lock);
    if (active != 1 || ost_backend_stalled(s->mixer, s->started_ns, s->block_s)) s->dead = 1;
    return !s->dead;
}

const ost_backend_ops ost_backend_portaudio_ops = {
    OST_BACKEND_PORTAUDIO, pa_open, pa_start, pa_stop, pa_close, pa_alive,
};

/* ------------------------------------------------------------- devices */

typedef struct ost_device_entry {
    char name[256];
    char host_api[64];
    int32_t pa_index;
    int32_t max_channels;
    double default_rate;
    double low_latency;
} ost_device_entry;

struct ost_devices {
    ost_device_entry *entries;
    uint32_t count;
    int32_t default_entry;
};


ost_result ost_devices_open(ost_devices **out) {
    if (!out) return OST_INVALID_ARGS;
    *out = NULL;
    ost_devices *d = calloc(1, sizeof *d);
    if (!d) return OST_OUT_OF_MEMORY;
    d->default_entry = -1;
    pthread_mutex_lock(&pa_lock);
    if (pa_init() != paNoError) {
        pthread_mutex_unlock(&pa_lock);
        free(d);
        return OST_DEVICE_ERROR;
    }
    int count = Pa_GetDeviceCount();
    PaDeviceIndex def = Pa_GetDefaultOutputDevice();
    d->entries = calloc(count > 0 ? (size_t)count : 1, sizeof *d->entries);
    if (!d->entries) {
        Pa_Terminate();
        pthread_mutex_unlock(&pa_lock);
        free(d);
        return OST_OUT_OF_MEMORY;
    }
    for (int i = 0; i < count; i++) {
        const PaDeviceInfo *info = Pa_GetDeviceInfo(i);
        if (!info || info->maxOutputChannels <= 0) continue;
        const PaHostApiInfo *host = Pa_GetHostApiInfo(info->hostApi);
        ost_device_entry *e = &d->entries[d->count];
        copy_name(e->name, sizeof e->name, info->name);
        copy_name(e->host_api, sizeof e->host_api, host ? host->name : "");
        e->pa_index = i;
        e->max_channels = info->maxOutputChannels;
        e->default_rate = info->defaultSampleRate;
        e->low_latency = info->defaultLowOutputLatency;
        if (i == def) d->default_entry = (int32_t)d->count;
        d->count++;
    }
    Pa_Terminate();
    pthread_mutex_unlock(&pa_lock);
    *out = d;
    return OST_OK;
}

void ost_devices_close(ost_devices *d) {
    if (!d) return;
    free(d->entries);
    free(d);
}

static const ost_device_entry *entry(const ost_devices *d, uint32_t i) {
    return d && i < d->count ? &d->entries[i] : NULL;
}

uint32_t ost_devices_count(const ost_devices *d) { return d ? d->count : 0; }
int32_t ost_devices_default(const ost_devices *d) { return d ? d->default_entry : -1; }
const char *ost_devices_name(const ost_devices *d, uint32_t i) { return entry(d, i) ? entry(d, i)->name : NULL; }
const char *ost_devices_host_api(const ost_devices *d, uint32_t i) { return entry(d, i) ? entry(d, i)->host_api : NULL; }
int32_t ost_devices_pa_index(const ost_devices *d, uint32_t i) { return entry(d, i) ? entry(d, i)->pa_index : -1; }
int32_t ost_devices_max_channels(const ost_devices *d, uint32_t i) { return entry(d, i) ? entry(d, i)->max_channels : -1; }
double ost_devices_default_rate(const ost_devices *d, uint32_t i) { return entry(d, i) ? entry(d, i)->default_rate : -1; }
double ost_devices_low_latency(const ost_devices *d, uint32_t i) { return entry(d, i) ? entry(d, i)->low_latency : -1; }
