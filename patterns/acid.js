// Acid: a resonant sawtooth bassline whose filter opens and closes over
// eight cycles, with a sub-octave sine underneath.
setcps(0.55)

$: note("<c2 c2 eb2 g1>*4 [c3 c2] <bb1 f2>*2 [g2 c2]")
  .s("sawtooth")
  .lpf(sine.range(300, 2400).slow(8))
  .resonance(8)
  .decay(0.12).sustain(0.2).release(0.05)
  .gain(1.4)

$: note("<c1 c1 eb1 g0>")
  .s("sine")
  .attack(0.01).release(0.3)
  .gain(1.5)
