/*
 * tables.c — the library's tables, exported so that callers (the JS
 * binding) build their name maps, defaults and struct layouts from the
 * library itself instead of keeping a second copy by hand.
 */
#include <stddef.h>

#include "ostinato.h"
#include "voice.h"

/* ---------------------------------------------------------------- results */

const char *ost_result_text(int result) {
    switch (result) {
#define OST_X(id, value, text) \
    case value: return text;
        OST_RESULT_TABLE(OST_X)
#undef OST_X
    default: return "unknown result";
    }
}

/* ----------------------------------------------------------------- sounds */

static const char *const sound_names[] = {
#define OST_X(id, name, alias) name,
    OST_SOUND_TABLE(OST_X)
#undef OST_X
};
static const char *const sound_aliases[] = {
#define OST_X(id, name, alias) alias,
    OST_SOUND_TABLE(OST_X)
#undef OST_X
};

uint32_t ost_sound_count(void) { return OST_SOUND_COUNT; }
const char *ost_sound_name(uint32_t i) { return i < OST_SOUND_COUNT ? sound_names[i] : NULL; }
const char *ost_sound_alias(uint32_t i) { return i < OST_SOUND_COUNT ? sound_aliases[i] : NULL; }
float ost_sound_level(uint32_t i) { return i < OST_SOUND_COUNT ? ost_voice_level(i) : 0.0f; }

/* ------------------------------------------------------------- parameters */

typedef struct param_info {
    const char *name;
    float def, min, max;
} param_info;

static const param_info params[OST_PARAM_COUNT] = {
#define OST_X(id, name, def, lo, hi, doc) {name, def, lo, hi},
    OST_PARAM_TABLE(OST_X)
#undef OST_X
};
_Static_assert(OST_PARAM_COUNT <= OST_PARAM_PARTIAL_AMPS, "the event record and its extension have no room for more parameters");

uint32_t ost_param_count(void) { return OST_PARAM_COUNT; }
const char *ost_param_name(uint32_t i) { return i < OST_PARAM_COUNT ? params[i].name : NULL; }

ost_result ost_param_range(uint32_t i, float *out) {
    if (i >= OST_PARAM_COUNT || !out) return OST_INVALID_ARGS;
    out[0] = params[i].def;
    out[1] = params[i].min;
    out[2] = params[i].max;
    return OST_OK;
}

/* ----------------------------------------------------------------- events */

ost_result ost_event_layout(uint32_t *out) {
    if (!out) return OST_INVALID_ARGS;
    out[0] = sizeof(ost_event);
    out[1] = offsetof(ost_event, start_frame);
    out[2] = offsetof(ost_event, dur_frames);
    out[3] = offsetof(ost_event, kind);
    out[4] = offsetof(ost_event, slot);
    out[5] = offsetof(ost_event, params);
    out[6] = OST_EVENT_PARAM_CAPACITY;
    out[7] = OST_PARTIALS_MAX;
    return OST_OK;
}

/* ----------------------------------------------------------------- config */

typedef struct config_info {
    const char *name;
    double def, min, max;
} config_info;

static const config_info configs[] = {
#define OST_X(name, def, lo, hi, doc) {#name, def, lo, hi},
    OST_CONFIG_TABLE(OST_X)
#undef OST_X
};
#define CONFIG_COUNT (sizeof configs / sizeof configs[0])
_Static_assert(sizeof(ost_config) == CONFIG_COUNT * sizeof(double), "ost_config is a plain array of doubles");

ost_result ost_config_init(ost_config *config) {
    if (!config) return OST_INVALID_ARGS;
    double *v = (double *)config;
    for (size_t i = 0; i < CONFIG_COUNT; i++) v[i] = configs[i].def;
    return OST_OK;
}

uint32_t ost_config_count(void) { return CONFIG_COUNT; }
const char *ost_config_name(uint32_t i) { return i < CONFIG_COUNT ? configs[i].name : NULL; }

ost_result ost_config_range(uint32_t i, double *out) {
    if (i >= CONFIG_COUNT || !out) return OST_INVALID_ARGS;
    out[0] = configs[i].def;
    out[1] = configs[i].min;
    out[2] = configs[i].max;
    return OST_OK;
}

/* -------------------------------------------------------------- telemetry */

typedef struct telemetry_field {
    const char *name;
    uint32_t offset, type, count;
} telemetry_field;

static const telemetry_field telemetry_fields[] = {
#define OST_X(type, name, count, doc) {#name, offsetof(ost_telemetry, name), type, count},
    OST_TELEMETRY_TABLE(OST_X)
#undef OST_X
};
#define TELEMETRY_COUNT (sizeof telemetry_fields / sizeof telemetry_fields[0])

uint32_t ost_telemetry_size(void) { return sizeof(ost_telemetry); }
uint32_t ost_telemetry_field_count(void) { return TELEMETRY_COUNT; }
const char *ost_telemetry_field_name(uint32_t i) { return i < TELEMETRY_COUNT ? telemetry_fields[i].name : NULL; }

ost_result ost_telemetry_field(uint32_t i, uint32_t *out) {
    if (i >= TELEMETRY_COUNT || !out) return OST_INVALID_ARGS;
    out[0] = telemetry_fields[i].offset;
    out[1] = telemetry_fields[i].type;
    out[2] = telemetry_fields[i].count;
    return OST_OK;
}
