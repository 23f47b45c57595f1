/*
 * wavfile.h — the header of a 32-bit float WAV that grows while it is
 * written (the recorder's takes).
 *
 * The form every reader takes without a warning: RIFF/WAVE, an 18-byte fmt
 * chunk (WAVE_FORMAT_IEEE_FLOAT with cbSize 0, as the spec asks of every
 * non-PCM format), a fact chunk with the frame count, then data. A 28-byte
 * JUNK chunk before fmt is room for RF64's ds64: past 4 GB the header
 * becomes RF64 in place (EBU Tech 3306), so a take of hours stays one file.
 * Thread: any (pure functions).
 */
#ifndef OST_WAVFILE_H
#define OST_WAVFILE_H

#include <stdint.h>

/** Bytes before the first sample. */
#define OST_WAV_HEADER_BYTES 94

/** Writes the header for `frames` frames of `channels` 32-bit floats at `rate`. */
void ost_wav_float_header(uint8_t out[OST_WAV_HEADER_BYTES], uint32_t channels, uint32_t rate, uint64_t frames);

#endif
