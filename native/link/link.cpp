/*
 * link.cpp — ostinato's optional Ableton Link module (libostinato-link.so).
 *
 * Link is GPL-2.0-or-later, ostinato MIT: this file is compiled only where
 * Debian's ableton-link-dev headers are installed, into its own shared
 * object, which the binding loads only when Link is turned on (`--link`,
 * `link(true)`). See README, "Playing in time with others".
 *
 * The C layer: create/destroy, enable, peers, tempo (app thread), and a
 * clock source (ostinato.h) whose capture runs on the audio thread through
 * Link's captureAudioSessionState, which is real-time safe. Host time is
 * Link's clock (CLOCK_MONOTONIC_RAW, µs); the capture adds the output delay
 * (device latency + the user's offset) so a beat is stamped when it is heard.
 */
#include <ableton/Link.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <new>

extern "C" {
#include "../ostinato.h"
}

namespace {

struct OstLink {
    explicit OstLink(double bpm) : link(bpm) {}
    ableton::Link link;
    std::atomic<double> delay_us{0.0};
    std::atomic<double> quantum{4.0};
    ost_clock_source source{};
};

constexpr double kMinBpm = 20.0;
constexpr double kMaxBpm = 999.0;

void capture_rt(void *context, ost_clock_capture *out) {
    auto *l = static_cast<OstLink *>(context);
    const auto state = l->link.captureAudioSessionState();
    const double delay = l->delay_us.load(std::memory_order_relaxed);
    const auto heard = l->link.clock().micros() + std::chrono::microseconds(static_cast<long long>(std::llround(delay)));
    out->host_us = static_cast<double>(heard.count());
    out->beat = state.beatAtTime(heard, l->quantum.load(std::memory_order_relaxed));
    out->bpm = state.tempo();
    out->playing = state.isPlaying() ? 1.0 : 0.0;
}

OstLink *cast(void *handle) { return static_cast<OstLink *>(handle); }

} // namespace

extern "C" {

#define OST_LINK_API __attribute__((visibility("default")))

/** A disabled Link instance at `bpm`, or NULL. Thread: control. */
OST_LINK_API void *ost_link_create(double bpm) {
    if (!(bpm >= kMinBpm && bpm <= kMaxBpm)) return nullptr;
    auto *l = new (std::nothrow) OstLink(bpm);
    if (!l) return nullptr;
    l->source.context = l;
    l->source.capture = capture_rt;
    return l;
}

/** Frees it; it must no longer be any engine's clock source. NULL is fine. Thread: control. */
OST_LINK_API void ost_link_destroy(void *handle) { delete cast(handle); }

/** Joins (1) or leaves (0) the session. Thread: control. */
OST_LINK_API void ost_link_enable(void *handle, int on) {
    if (handle) cast(handle)->link.enable(on != 0);
}

OST_LINK_API int ost_link_enabled(void *handle) { return handle && cast(handle)->link.isEnabled() ? 1 : 0; }

OST_LINK_API void ost_link_enable_start_stop_sync(void *handle, int on) {
    if (handle) cast(handle)->link.enableStartStopSync(on != 0);
}

/** Peers in the session, this instance not counted. Thread: any but audio. */
OST_LINK_API int ost_link_num_peers(void *handle) { return handle ? static_cast<int>(cast(handle)->link.numPeers()) : -1; }

/** The session tempo. Thread: any but audio. */
OST_LINK_API double ost_link_tempo(void *handle) {
    return handle ? cast(handle)->link.captureAppSessionState().tempo() : -1.0;
}

/** Proposes a tempo to the session, keeping the beat at host time `at_us`
 *  (µs, Link's clock; 0 or less: now). A peer that changes its own tempo at a
 *  frame passes the time that frame is heard, so the session's beats and its
 *  own agree across the change. Thread: any but audio. */
OST_LINK_API int ost_link_set_tempo(void *handle, double bpm, double at_us) {
    if (!handle || !(bpm >= kMinBpm && bpm <= kMaxBpm)) return -1;
    auto &link = cast(handle)->link;
    auto state = link.captureAppSessionState();
    const auto at = at_us > 0 ? std::chrono::microseconds(static_cast<long long>(std::llround(at_us))) : link.clock().micros();
    state.setTempo(bpm, at);
    link.commitAppSessionState(state);
    return 0;
}

/** Starts (1) or stops (0) the session's transport as of host time `at_us`
 *  (µs, Link's clock; 0 or less: now) (start/stop sync). Committing the
 *  state the session already has, 1 µs later, is how a peer shares its
 *  transport with a newcomer: Link sends a peer's start/stop state to the
 *  others only when it changes, and a newcomer keeps its own until then.
 *  Thread: any but audio. */
OST_LINK_API void ost_link_set_playing(void *handle, int playing, double at_us) {
    if (!handle) return;
    auto &link = cast(handle)->link;
    auto state = link.captureAppSessionState();
    const auto at = at_us > 0 ? std::chrono::microseconds(static_cast<long long>(std::llround(at_us))) : link.clock().micros();
    state.setIsPlaying(playing != 0, at);
    link.commitAppSessionState(state);
}

/** The session's transport: out[0] playing (1/0), out[1] the host time (µs,
 *  Link's clock) at which it last started or stopped, as the session agrees
 *  on it, for every peer alike. Thread: any but audio. */
OST_LINK_API int ost_link_transport(void *handle, double *out) {
    if (!handle || !out) return -1;
    const auto state = cast(handle)->link.captureAppSessionState();
    out[0] = state.isPlaying() ? 1.0 : 0.0;
    out[1] = static_cast<double>(state.timeForIsPlaying().count());
    return 0;
}

/** How long after the capture a block's first frame is heard: output latency + offset, µs. Thread: any. */
OST_LINK_API void ost_link_set_delay_us(void *handle, double us) {
    if (handle && std::isfinite(us)) cast(handle)->delay_us.store(us, std::memory_order_relaxed);
}

/** The bar length in beats (4 by default). Thread: any. */
OST_LINK_API void ost_link_set_quantum(void *handle, double beats) {
    if (handle && beats >= 1 && beats <= 64) cast(handle)->quantum.store(beats, std::memory_order_relaxed);
}

/** Link's host time now (µs, CLOCK_MONOTONIC_RAW). Thread: any. */
OST_LINK_API double ost_link_clock_us(void *handle) {
    return handle ? static_cast<double>(cast(handle)->link.clock().micros().count()) : -1.0;
}

/** The clock source table for ost_engine_set_clock_source. Thread: any. */
OST_LINK_API const ost_clock_source *ost_link_clock_source(void *handle) { return handle ? &cast(handle)->source : nullptr; }

} // extern "C"
