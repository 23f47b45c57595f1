/**
 * The vbench workloads as Csound .csd files: vco2 (band-limited saw) ->
 * rbjeq mode 0 (RBJ resonant lowpass) -> linseg (A) -> pan2 (equal power).
 * @module
 */
import { A_ATTACK, A_DECAY, BLOCK, LPF_CUTOFF, LPF_Q, SAW_PROBE, SR, type Workload } from "./workload.ts";

const f6 = (x: number) => Number(x.toFixed(6));

/** The saw probe: vco2 alone, both channels. */
export function csdProbe(): string {
  return `<CsoundSynthesizer>
<CsOptions>
-d -m0 --nodisplays -W -f
</CsOptions>
<CsInstruments>
sr = ${SR}
ksmps = ${BLOCK}
nchnls = 2
0dbfs = 1
instr 1
  asaw  vco2    ${SAW_PROBE.amp}, ${SAW_PROBE.freq}
        outs    asaw, asaw
endin
</CsInstruments>
<CsScore>
i1 0 ${SAW_PROBE.seconds}
e
</CsScore>
</CsoundSynthesizer>
`;
}

export function csd(w: Workload): string {
  const orchestra = `sr = ${SR}
ksmps = ${BLOCK}
nchnls = 2
0dbfs = 1

instr 1 ; A: saw -> RBJ lowpass -> linear 5 ms up, 500 ms down -> equal-power pan
  asaw  vco2    1, p4
  alp   rbjeq   asaw, ${LPF_CUTOFF}, 1, ${LPF_Q}, 1, 0
  aenv  linseg  0, ${A_ATTACK}, 1, ${A_DECAY}, 0
  aL, aR pan2   alp * aenv * ${w.amp}, p5
        outs    aL, aR
endin

instr 2 ; B: saw -> RBJ lowpass -> gain -> equal-power pan
  asaw  vco2    1, p4
  alp   rbjeq   asaw, ${LPF_CUTOFF}, 1, ${LPF_Q}, 1, 0
  aL, aR pan2   alp * ${w.amp}, p5
        outs    aL, aR
endin
`;
  const xp = (p: number) => f6((p + 1) / 2); // pan2: 0 left .. 1 right, mode 0 = equal power
  const score = w.notes.length
    ? w.notes.map((n) => `i1 ${n.t} ${f6(n.dur)} ${f6(n.freq)} ${xp(n.pan)}`).join("\n")
    : w.voices.length
      ? w.voices.map((v) => `i2 0 ${w.seconds} ${f6(v.freq)} ${xp(v.pan)}`).join("\n")
      : `f 0 ${w.seconds}`;
  return `<CsoundSynthesizer>
<CsOptions>
-d -m0 --nodisplays -W -f
</CsOptions>
<CsInstruments>
${orchestra}</CsInstruments>
<CsScore>
${score}
e
</CsScore>
</CsoundSynthesizer>
`;
}
