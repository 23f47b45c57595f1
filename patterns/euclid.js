// Euclid: interlocking Euclidean rhythms on noise and plucks, with the
// third layer rotating every cycle.
setcps(0.6)

$: s("white(3,8)").decay(0.04).sustain(0).hpf(6000).gain(0.8)

$: s("pink(5,8,<0 2>)").decay(0.08).sustain(0).bpf(1800).bpq(2).gain(1.1)

$: note("c3(7,16,<0 3 5>)").add(note("<0 5 7 3>"))
  .s("square")
  .lpf(1200).decay(0.09).sustain(0)
  .gain(0.6)
