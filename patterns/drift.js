// Drift: named slots you can re-evaluate one by one while the rest plays;
// perlin noise moves the filter, every third cycle the melody runs backwards.
setcps(0.4)

pad: note("<[c3,g3,bb3] [ab2,eb3,g3]>")
  .s("sawtooth")
  .attack(0.5).release(1.5)
  .lpf(perlin.range(400, 1400).slow(3))
  .gain(0.5)

melody: n("0 <2 3> 4 [7 9]")
  .scale("C4:minor")
  .every(3, rev)
  .s("sine")
  .decay(0.3).sustain(0.2)
  .gain(1.1)
