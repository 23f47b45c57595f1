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
 * Separate from the MIDI note output of issue 16 (native/midi_*.c there):
 * to be reconciled into one JACK client at merge.
 */
#ifndef OST_MIDI_CLOCK_H
#define OST_MIDI_CLOCK_H

#include "ostinato.h"

#endif
