// Polymeter: a five-step and a three-step melody against a four-step
// pulse, so the combination repeats only every fifteen steps.
setcps(0.5)

$: note("{c4 d4 eb4 g4 bb4, g3 c4 eb4}%4")
  .s("triangle")
  .decay(0.2).sustain(0.1)
  .lpf(2500)
  .gain(0.9)

$: note("c2 ~ [c2 g1] ~").s("sawtooth").lpf(500).decay(0.2).sustain(0).gain(1.2)
