/* noise.c — seeding of the per-voice noise generators. */
#include "noise.h"

uint32_t ost_noise_seed(uint64_t engine_seed, uint64_t voice_serial) {
    /* splitmix64 finaliser: nearby serials give unrelated seeds */
    uint64_t z = engine_seed * 0x9E3779B97F4A7C15ull + voice_serial + 0x632BE59BD9B4E019ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    uint32_t s = (uint32_t)z ^ (uint32_t)(z >> 32);
    return s ? s : 0x9E3779B9u; /* xorshift must not start at 0 */
}
