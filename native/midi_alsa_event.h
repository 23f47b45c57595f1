/*
 * midi_alsa_event.h — MIDI bytes to ALSA sequencer events and back.
 *
 * The seam of the ALSA path (midi_alsa.c): pure functions with no sequencer
 * handle and no allocation, so they are tested byte for byte over FFI on a
 * machine without /dev/snd/seq (test/engine/midi-alsa.test.ts, through the
 * exports ost_alsa_midi_translate and ost_alsa_midi_bytes in ostinato.h).
 */
#ifndef OST_MIDI_ALSA_EVENT_H
#define OST_MIDI_ALSA_EVENT_H

#include <alsa/asoundlib.h>
#include <stdint.h>

/* One MIDI message (`len` bytes, a SysEx F0..F7 whole) as an event: the
   event is cleared, then its type, flags and data set; source, destination,
   queue and time are the caller's. A SysEx event points into `bytes` (it is
   not copied), so `bytes` must outlive its output. Returns 1, or a negative
   ost_result for bytes that are not one well-formed message we send. */
int32_t ost_alsa_encode(const uint8_t *bytes, uint32_t len, snd_seq_event_t *ev);

/* An event as MIDI bytes into out (at most `cap`): returns how many, 0 for an
   event that carries no MIDI (a subscription notice, a queue event), or
   OST_FULL when `cap` is too small. A 14-bit controller or an (N)RPN event
   becomes its sequence of CC messages, as a MIDI cable would carry it. */
int32_t ost_alsa_decode(const snd_seq_event_t *ev, uint8_t *out, uint32_t cap);

#endif
