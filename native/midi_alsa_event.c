/*
 * midi_alsa_event.c — MIDI bytes to ALSA sequencer events and back (the
 * pure seam of midi_alsa.c; see midi_alsa_event.h).
 *
 * Written from the ALSA sequencer's event documentation (seq_event.h): the
 * channel messages map to note/control events field by field, pitch bend is
 * signed around 0 (-8192..8191), SysEx is a variable-length event holding
 * the whole F0..F7 message, and the system real-time bytes are events of
 * their own with no data.
 */
#include "midi_alsa_event.h"

#include <string.h>

#include "ostinato.h"

static int data_ok(const uint8_t *b, uint32_t from, uint32_t to) {
    for (uint32_t i = from; i < to; i++)
        if (b[i] > 0x7f) return 0;
    return 1;
}

/* The length a status byte's message has (0: variable, SysEx; -1: not a status we send). */
static int message_length(uint8_t status) {
    switch (status & 0xf0) {
    case 0x80: case 0x90: case 0xa0: case 0xb0: case 0xe0: return 3;
    case 0xc0: case 0xd0: return 2;
    default: break;
    }
    switch (status) {
    case 0xf0: return 0;
    case 0xf1: case 0xf3: return 2;
    case 0xf2: return 3;
    case 0xf6: case 0xf8: case 0xfa: case 0xfb: case 0xfc: case 0xfe: case 0xff: return 1;
    default: return -1;
    }
}

int32_t ost_alsa_encode(const uint8_t *b, uint32_t len, snd_seq_event_t *ev) {
    if (!b || !ev || len == 0) return OST_INVALID_ARGS;
    memset(ev, 0, sizeof *ev);
    int want = message_length(b[0]);
    if (want < 0) return OST_INVALID_ARGS;
    if (want == 0) {
        /* SysEx: F0, data bytes, F7, whole in one event. */
        if (len < 2 || b[len - 1] != 0xf7 || !data_ok(b, 1, len - 1)) return OST_INVALID_ARGS;
        ev->type = SND_SEQ_EVENT_SYSEX;
        ev->flags = SND_SEQ_EVENT_LENGTH_VARIABLE;
        ev->data.ext.len = len;
        ev->data.ext.ptr = (void *)(uintptr_t)b;
        return 1;
    }
    if (len != (uint32_t)want || !data_ok(b, 1, len)) return OST_INVALID_ARGS;
    ev->flags = SND_SEQ_EVENT_LENGTH_FIXED;
    uint8_t ch = b[0] & 0x0f;
    switch (b[0] & 0xf0) {
    case 0x80: case 0x90: case 0xa0:
        ev->type = (b[0] & 0xf0) == 0x80 ? SND_SEQ_EVENT_NOTEOFF : (b[0] & 0xf0) == 0x90 ? SND_SEQ_EVENT_NOTEON : SND_SEQ_EVENT_KEYPRESS;
        ev->data.note.channel = ch;
        ev->data.note.note = b[1];
        ev->data.note.velocity = b[2];
        return 1;
    case 0xb0:
        ev->type = SND_SEQ_EVENT_CONTROLLER;
        ev->data.control.channel = ch;
        ev->data.control.param = b[1];
        ev->data.control.value = b[2];
        return 1;
    case 0xc0: case 0xd0:
        ev->type = (b[0] & 0xf0) == 0xc0 ? SND_SEQ_EVENT_PGMCHANGE : SND_SEQ_EVENT_CHANPRESS;
        ev->data.control.channel = ch;
        ev->data.control.value = b[1];
        return 1;
    case 0xe0:
        ev->type = SND_SEQ_EVENT_PITCHBEND;
        ev->data.control.channel = ch;
        ev->data.control.value = (int)(b[1] | (b[2] << 7)) - 8192;
        return 1;
    default: break;
    }
    switch (b[0]) {
    case 0xf1: ev->type = SND_SEQ_EVENT_QFRAME; ev->data.control.value = b[1]; return 1;
    case 0xf2: ev->type = SND_SEQ_EVENT_SONGPOS; ev->data.control.value = b[1] | (b[2] << 7); return 1;
    case 0xf3: ev->type = SND_SEQ_EVENT_SONGSEL; ev->data.control.value = b[1]; return 1;
    case 0xf6: ev->type = SND_SEQ_EVENT_TUNE_REQUEST; return 1;
    case 0xf8: ev->type = SND_SEQ_EVENT_CLOCK; return 1;
    case 0xfa: ev->type = SND_SEQ_EVENT_START; return 1;
    case 0xfb: ev->type = SND_SEQ_EVENT_CONTINUE; return 1;
    case 0xfc: ev->type = SND_SEQ_EVENT_STOP; return 1;
    case 0xfe: ev->type = SND_SEQ_EVENT_SENSING; return 1;
    case 0xff: ev->type = SND_SEQ_EVENT_RESET; return 1;
    default: return OST_INVALID_ARGS;
    }
}

/* Appends bytes to out if they fit. */
static int put(uint8_t *out, uint32_t cap, uint32_t *n, const uint8_t *bytes, uint32_t count) {
    if (*n + count > cap) return 0;
    memcpy(out + *n, bytes, count);
    *n += count;
    return 1;
}

static int put_cc(uint8_t *out, uint32_t cap, uint32_t *n, uint8_t ch, unsigned param, unsigned value) {
    const uint8_t m[3] = {(uint8_t)(0xb0 | ch), (uint8_t)(param & 0x7f), (uint8_t)(value & 0x7f)};
    return put(out, cap, n, m, 3);
}

static unsigned clamp14(int v) { return v < 0 ? 0 : v > 16383 ? 16383 : (unsigned)v; }
static uint8_t b7(int v) { return (uint8_t)(v < 0 ? 0 : v > 127 ? 127 : v); }

int32_t ost_alsa_decode(const snd_seq_event_t *ev, uint8_t *out, uint32_t cap) {
    if (!ev || !out) return OST_INVALID_ARGS;
    uint32_t n = 0;
    uint8_t ch = 0, m[3];
    int ok = 1;
    switch (ev->type) {
    case SND_SEQ_EVENT_NOTEON: case SND_SEQ_EVENT_NOTEOFF: case SND_SEQ_EVENT_KEYPRESS:
        ch = ev->data.note.channel & 0x0f;
        m[0] = (uint8_t)((ev->type == SND_SEQ_EVENT_NOTEON ? 0x90 : ev->type == SND_SEQ_EVENT_NOTEOFF ? 0x80 : 0xa0) | ch);
        m[1] = ev->data.note.note & 0x7f;
        m[2] = ev->data.note.velocity & 0x7f;
        ok = put(out, cap, &n, m, 3);
        break;
    case SND_SEQ_EVENT_CONTROLLER:
        ok = put_cc(out, cap, &n, ev->data.control.channel & 0x0f, ev->data.control.param, (unsigned)b7(ev->data.control.value));
        break;
    case SND_SEQ_EVENT_CONTROL14: {
        /* Controllers 0-31 with their LSB at 32-63; a higher one is 7 bits. */
        ch = ev->data.control.channel & 0x0f;
        unsigned param = ev->data.control.param, v = clamp14(ev->data.control.value);
        if (param < 32) ok = put_cc(out, cap, &n, ch, param, v >> 7) && put_cc(out, cap, &n, ch, param + 32, v & 0x7f);
        else ok = put_cc(out, cap, &n, ch, param, v & 0x7f);
        break;
    }
    case SND_SEQ_EVENT_NONREGPARAM: case SND_SEQ_EVENT_REGPARAM: {
        /* The parameter number (99/98, or 101/100), then data entry MSB 6 and LSB 38. */
        ch = ev->data.control.channel & 0x0f;
        unsigned param = clamp14((int)ev->data.control.param), v = clamp14(ev->data.control.value);
        unsigned hi = ev->type == SND_SEQ_EVENT_NONREGPARAM ? 99 : 101;
        ok = put_cc(out, cap, &n, ch, hi, param >> 7) && put_cc(out, cap, &n, ch, hi - 1, param & 0x7f) &&
             put_cc(out, cap, &n, ch, 6, v >> 7) && put_cc(out, cap, &n, ch, 38, v & 0x7f);
        break;
    }
    case SND_SEQ_EVENT_PGMCHANGE: case SND_SEQ_EVENT_CHANPRESS:
        m[0] = (uint8_t)((ev->type == SND_SEQ_EVENT_PGMCHANGE ? 0xc0 : 0xd0) | (ev->data.control.channel & 0x0f));
        m[1] = b7(ev->data.control.value);
        ok = put(out, cap, &n, m, 2);
        break;
    case SND_SEQ_EVENT_PITCHBEND: {
        unsigned v = clamp14(ev->data.control.value + 8192);
        m[0] = (uint8_t)(0xe0 | (ev->data.control.channel & 0x0f));
        m[1] = v & 0x7f;
        m[2] = (uint8_t)(v >> 7);
        ok = put(out, cap, &n, m, 3);
        break;
    }
    case SND_SEQ_EVENT_SYSEX:
        if ((ev->flags & SND_SEQ_EVENT_LENGTH_MASK) != SND_SEQ_EVENT_LENGTH_VARIABLE || !ev->data.ext.ptr) return 0;
        ok = put(out, cap, &n, ev->data.ext.ptr, ev->data.ext.len);
        break;
    case SND_SEQ_EVENT_QFRAME: case SND_SEQ_EVENT_SONGSEL:
        m[0] = ev->type == SND_SEQ_EVENT_QFRAME ? 0xf1 : 0xf3;
        m[1] = b7(ev->data.control.value);
        ok = put(out, cap, &n, m, 2);
        break;
    case SND_SEQ_EVENT_SONGPOS: {
        unsigned v = clamp14(ev->data.control.value);
        m[0] = 0xf2;
        m[1] = v & 0x7f;
        m[2] = (uint8_t)(v >> 7);
        ok = put(out, cap, &n, m, 3);
        break;
    }
    case SND_SEQ_EVENT_TUNE_REQUEST: m[0] = 0xf6; ok = put(out, cap, &n, m, 1); break;
    case SND_SEQ_EVENT_CLOCK: m[0] = 0xf8; ok = put(out, cap, &n, m, 1); break;
    case SND_SEQ_EVENT_START: m[0] = 0xfa; ok = put(out, cap, &n, m, 1); break;
    case SND_SEQ_EVENT_CONTINUE: m[0] = 0xfb; ok = put(out, cap, &n, m, 1); break;
    case SND_SEQ_EVENT_STOP: m[0] = 0xfc; ok = put(out, cap, &n, m, 1); break;
    case SND_SEQ_EVENT_SENSING: m[0] = 0xfe; ok = put(out, cap, &n, m, 1); break;
    case SND_SEQ_EVENT_RESET: m[0] = 0xff; ok = put(out, cap, &n, m, 1); break;
    default: return 0;
    }
    return ok ? (int32_t)n : OST_FULL;
}

/* The FFI exports (ostinato.h): the same functions on untyped pointers. */
int32_t ost_alsa_midi_event_size(void) { return (int32_t)sizeof(snd_seq_event_t); }

int32_t ost_alsa_midi_translate(const uint8_t *bytes, uint32_t len, void *event) { return ost_alsa_encode(bytes, len, event); }

int32_t ost_alsa_midi_bytes(const void *event, uint8_t *out, uint32_t cap) { return ost_alsa_decode(event, out, cap); }
