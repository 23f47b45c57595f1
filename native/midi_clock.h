/*
 * midi_clock.h — MIDI clock out and in through JACK MIDI (issue 17).
 *
 * A JACK client of its own ("<name>", ports clock_out and clock_in). Its
 * process callback runs on JACK's real-time thread under the same contract
 * as mixer.c: no locks, no allocation, no I/O, no logging, no calls out but
 * JACK's MIDI buffer functions. Frames here are JACK frames
 * (jack_last_frame_time), the device's own clock.
 *
 * Out: the control thread publishes a plan (a pulse every `frames_per_pulse`
 * from `start_frame`, optionally preceded there by Song Position + Start or
 * Continue, or a Stop at a frame) through a seqlock the audio side reads
 * once per cycle without waiting (a torn read keeps the previous plan).
 * In: 0xF8 pulses are counted and timed; tempo is smoothed there and read by
 * the control thread through another seqlock.
 *
 * The server runs it on the MIDI client (midi_jack.c, ost_midi_clock_on):
 * one JACK client for MIDI out, in and clock, whose process callback runs
 * ost_midi_clock_run after its own work. ost_midi_clock_open (a client of
 * its own) is for tools and tests.
 */
#ifndef OST_MIDI_CLOCK_H
#define OST_MIDI_CLOCK_H

#include <jack/jack.h>

#include "ostinato.h"

/** The clock's ports on an existing client (not activated here), or NULL. Thread: control. */
ost_midi_clock *ost_midi_clock_on_client(jack_client_t *client);
/** One JACK cycle of the clock. Thread: JACK's real-time thread (see above). */
void ost_midi_clock_run(ost_midi_clock *c, jack_nframes_t nframes);
/** Frees a clock made by ost_midi_clock_on_client, once its client is closed. */
void ost_midi_clock_free(ost_midi_clock *c);

#endif
