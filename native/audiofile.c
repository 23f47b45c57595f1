/*
 * audiofile.c — writing audio files in the formats libsndfile knows
 * (renders to FLAC or MP3, and the test suite's fixtures).
 */
#include <sndfile.h>
#include <string.h>

#include "ostinato.h"

ost_result ost_audio_file_write(const char *path, uint32_t format, uint32_t channels, uint32_t sample_rate,
                                const float *data, uint32_t frames) {
    static const int FORMATS[] = {
        SF_FORMAT_WAV | SF_FORMAT_FLOAT,   SF_FORMAT_WAV | SF_FORMAT_PCM_16, SF_FORMAT_WAV | SF_FORMAT_PCM_24,
        SF_FORMAT_AIFF | SF_FORMAT_PCM_16, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, SF_FORMAT_OGG | SF_FORMAT_VORBIS,
        SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III,
    };
    if (!path || !path[0] || (!data && frames) || channels < 1 || channels > 8 || sample_rate < 1000 ||
        format >= sizeof FORMATS / sizeof FORMATS[0])
        return OST_INVALID_ARGS;
    SF_INFO info;
    memset(&info, 0, sizeof info);
    info.samplerate = (int)sample_rate;
    info.channels = (int)channels;
    info.format = FORMATS[format];
    if (!sf_format_check(&info)) return OST_INVALID_ARGS;
    SNDFILE *f = sf_open(path, SFM_WRITE, &info);
    if (!f) return OST_FILE_ERROR;
    sf_count_t written = frames ? sf_writef_float(f, data, frames) : 0;
    int closed = sf_close(f);
    return written == (sf_count_t)frames && closed == 0 ? OST_OK : OST_FILE_ERROR;
}
