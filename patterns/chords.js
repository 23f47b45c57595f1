// Chords: a slow progression voiced around c4, an arpeggio picking through
// the same chords, and a soft pad underneath.
setcpm(24)

const progression = "<Cm9 Fm9 Ab^7 G7b9>"

$: chord(progression).voicing()
  .s("triangle")
  .attack(0.08).decay(0.4).sustain(0.5).release(0.8)
  .lpf(1800)
  .gain(0.7)

$: chord(progression).voicing().arp("0 1 2 <3 4> 2 1".fast(2))
  .s("sine")
  .decay(0.15).sustain(0)
  .pan(sine.range(0.2, 0.8).slow(4))
  .gain(0.9)
