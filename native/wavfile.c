/* wavfile.c — see wavfile.h. */
#include "wavfile.h"

#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the recorder writes samples in memory order: WAV is little-endian"
#endif

static uint8_t *tag(uint8_t *p, const char *four) {
    memcpy(p, four, 4);
    return p + 4;
}

static uint8_t *u16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    return p + 2;
}

static uint8_t *u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
    return p + 4;
}

static uint8_t *u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
    return p + 8;
}

void ost_wav_float_header(uint8_t out[OST_WAV_HEADER_BYTES], uint32_t channels, uint32_t rate, uint64_t frames) {
    const uint64_t data = frames * channels * 4;
    const uint64_t riff = OST_WAV_HEADER_BYTES - 8 + data;
    const int rf64 = riff > 0xffffffffu;
    uint8_t *p = out;
    p = tag(p, rf64 ? "RF64" : "RIFF");
    p = u32(p, rf64 ? 0xffffffffu : (uint32_t)riff);
    p = tag(p, "WAVE");
    /* ds64 when RF64, else the same bytes as a JUNK chunk readers skip */
    p = tag(p, rf64 ? "ds64" : "JUNK");
    p = u32(p, 28);
    p = u64(p, rf64 ? riff : 0);
    p = u64(p, rf64 ? data : 0);
    p = u64(p, rf64 ? frames : 0);
    p = u32(p, 0); /* no table */
    p = tag(p, "fmt ");
    p = u32(p, 18);
    p = u16(p, 3); /* WAVE_FORMAT_IEEE_FLOAT */
    p = u16(p, (uint16_t)channels);
    p = u32(p, rate);
    p = u32(p, rate * channels * 4);
    p = u16(p, (uint16_t)(channels * 4));
    p = u16(p, 32);
    p = u16(p, 0); /* cbSize: no extension */
    p = tag(p, "fact");
    p = u32(p, 4);
    p = u32(p, rf64 ? 0xffffffffu : (uint32_t)frames);
    p = tag(p, "data");
    u32(p, rf64 ? 0xffffffffu : (uint32_t)data);
}
